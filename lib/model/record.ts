import { RECORD_SCHEMA, TransferRecord, TransferSpec } from './types';

/** Where a record sits in its sweep: which run, which repeat, warm-up or not. */
export interface RecordPlace {
  runId: string;
  repeat: number;
  warmup: boolean;
}

/** A record with every measurement still unknown: runners fill in what they measured. */
export function blankRecord(spec: TransferSpec, place: RecordPlace): TransferRecord {
  return {
    schema: RECORD_SCHEMA,
    runId: place.runId,
    runtime: spec.runtime,
    transport: spec.transport,
    payload: spec.payload,
    sizeElements: spec.sizeElements,
    repeat: place.repeat,
    warmup: place.warmup,
    ok: false,
    error: '',
    failedPhase: '',
    buildSeconds: null,
    encodeSeconds: null,
    decodeSeconds: null,
    sendSeconds: null,
    recvSeconds: null,
    totalSeconds: null,
    verifySeconds: null,
    bytes: null,
    senderPeakRssBytes: null,
    receiverPeakRssBytes: null,
    brokerPeakRssBytes: null,
    heapLimitMb: null,
    memory: 'n/a',
    startedAt: new Date().toISOString(),
  };
}

/** "node pipe list 1e+8" — how every error message names the transfer it is about. */
export function describeSpec(spec: TransferSpec): string {
  return `${spec.runtime} ${spec.transport} ${spec.payload} ${formatSize(spec.sizeElements)}`;
}

/** 100000000 → "1e8", 12345 → "12345": sizes as people write them. */
export function formatSize(sizeElements: number): string {
  if (sizeElements >= 10 && Number.isInteger(Math.log10(sizeElements))) {
    return `1e${Math.round(Math.log10(sizeElements))}`;
  }
  return String(sizeElements);
}

/** Mark a record failed, with the one-line reason that names the transfer and the phase. */
export function failRecord(record: TransferRecord, phase: string, reason: string): TransferRecord {
  const oneLine = reason.replace(/\s+/g, ' ').trim();
  record.ok = false;
  record.failedPhase = phase;
  record.error = `${describeSpec(record)}: ${phase}: ${oneLine}`;
  return record;
}
