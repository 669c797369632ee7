import type { TransferRecord } from '../../model/types';
import type { PeerResult } from '../control';
import { rateOf } from '../messages/histogram';

/**
 * What the peers measured, copied into the record: the sender's build, encode, send, bytes and
 * memory, the receiver's receive, decode and verification, every peer's peak memory, and the
 * total from the sender's first step to the receiver holding the data — both read on
 * CLOCK_MONOTONIC, so the two processes' timestamps subtract. A peer that never reported leaves
 * its fields null.
 */
export function copyPeerResults(
  record: TransferRecord,
  sender: PeerResult | undefined,
  receiver: PeerResult | undefined,
  broker: PeerResult | undefined,
): void {
  record.buildSeconds = sender?.buildSeconds ?? null;
  record.encodeSeconds = sender?.encodeSeconds ?? null;
  record.sendSeconds = sender?.sendSeconds ?? null;
  record.bytes = sender?.bytes ?? null;
  record.memory = sender?.memory ?? 'n/a';
  record.senderPeakRssBytes = sender?.peakRssBytes ?? null;
  record.recvSeconds = receiver?.recvSeconds ?? null;
  record.decodeSeconds = receiver?.decodeSeconds ?? null;
  record.verifySeconds = receiver?.verifySeconds ?? null;
  record.receiverPeakRssBytes = receiver?.peakRssBytes ?? null;
  record.brokerPeakRssBytes = broker?.peakRssBytes ?? null;
  // Copies are counted only when both sides counted theirs: half a count would read as fewer copies.
  record.copies = sender?.copies !== undefined && receiver?.copies !== undefined ? sender.copies + receiver.copies : null;
  record.firstTouch = receiver?.firstTouch ?? 'n/a';
  record.readWay = receiver?.readWay ?? 'n/a';
  if (sender?.startNs && receiver?.heldNs) {
    record.totalSeconds = Number(BigInt(receiver.heldNs) - BigInt(sender.startNs)) / 1e9;
  }
  if (record.pattern !== 'transfer') copyMessageResults(record, sender, receiver);
}

/**
 * A message pattern's measures: the round trip's distribution from the sender, and a rate — a
 * stream's from the sender's first measured send to the receiver holding the last message (the
 * total above), a round trip's as one over its mean. CPU per message from each peer.
 */
function copyMessageResults(record: TransferRecord, sender: PeerResult | undefined, receiver: PeerResult | undefined): void {
  record.buildSeconds = null;
  record.senderCpuSecondsPerMessage = sender?.cpuSecondsPerMessage ?? null;
  record.receiverCpuSecondsPerMessage = receiver?.cpuSecondsPerMessage ?? null;
  const messageBytes = record.messageBytes ?? 0;
  if (record.pattern === 'roundtrip') {
    record.totalSeconds = sender?.sendSeconds ?? null;
    if (sender?.roundTrip) {
      Object.assign(record, sender.roundTrip);
      Object.assign(record, rateOf(1, messageBytes, sender.roundTrip.roundTripMeanSeconds));
    }
  } else if (record.totalSeconds !== null && record.totalSeconds > 0) {
    Object.assign(record, rateOf(record.sizeElements, messageBytes, record.totalSeconds));
  }
}
