/*
 * baseline_common.h: what the two native baselines (ipc_baseline, msg_baseline) share, written
 * once. Both fork one peer, talk to it over a pipe, a Unix stream socket, TCP on loopback or a
 * shared mapping, report one error line, and must leave nothing behind: no child, no socket dir.
 *
 *   baseline_common.c   the one error line, the clock, the channels' names
 *   baseline_peer.c     the peer process: signals, fork, reaping, the socket dir a signal removes
 *   baseline_sockets.c  whole reads and writes; the listener, and the peer connecting back to it
 *   baseline_args.c     the command line: help, whole numbers, choices, the exit code of a refusal
 *
 * binding.gyp compiles these into each baseline's executable. Define _GNU_SOURCE (pipe2, accept4,
 * SOCK_CLOEXEC) before including this header first.
 */
#ifndef IPC_LAB_BASELINE_COMMON_H
#define IPC_LAB_BASELINE_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the one error line, the clock, the channels (baseline_common.c) ---- */

/* The one error line, written once by main (or sent to the parent by the child). */
extern char g_error[400];

/* Set g_error from a printf format; returns -1, so that `return fail(…)` reports and fails. */
int fail(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* fail() with what was being done and errno's text: "what: reason". */
int fail_errno(const char *what);

/* CLOCK_MONOTONIC in ns: the clock behind Node's process.hrtime, one clock for every process of
 * the machine, so one side's start can be subtracted from the other side's end. */
int64_t now_ns(void);

/* Close *fd if open, and mark it closed (-1). */
void close_fd(int *fd);

/* The channels both baselines move bytes through, in the order of their names in CHANNELS. */
enum channel { CH_PIPE, CH_UNIX, CH_TCP, CH_SHM, CHANNEL_COUNT };
extern const char *const CHANNELS[CHANNEL_COUNT];

/* ---- the peer process (baseline_peer.c) ---- */

/* The forked peer (0: none), which a signal kills and reaps. */
extern volatile sig_atomic_t g_child;
/* The Unix socket's private dir and the socket in it, which a signal removes (g_have_dir: made). */
extern volatile sig_atomic_t g_have_dir;
extern char g_dir[4096];
extern char g_sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
/* The signals handled by on_signal: blocked while the child and the dir change hands, so the
 * handler never sees a child it does not know yet. */
extern sigset_t g_deadly;

/* Remove the socket and its dir, if made (async-signal-safe). */
void remove_socket_dir(void);

/* In main, before any child exists: SIGTERM, SIGINT and SIGHUP kill and reap the child, remove the
 * socket dir and end the process; SIGPIPE ignored, so that a peer gone makes write fail (EPIPE). */
void install_signal_handlers(void);

/* In the child, first thing after fork: the deadly signals back to their default and unblocked,
 * the socket dir left to the parent, and death with the parent (PR_SET_PDEATHSIG), so that nothing
 * is left if `parent` is killed outright. Exits 1 if the parent is already gone. */
void child_start(pid_t parent);

/* The start of a run: the deadly signals blocked (until fork_peer has told on_signal of the
 * child), then the control pipe, child → parent. 0, or -1 with g_error set. */
int open_control(int control[2]);

/* Fork the peer, after open_control. In the child: 0, with the parent's ends closed (control[0],
 * the listener if any). In the parent: the child's pid, known to on_signal from now on, the deadly
 * signals unblocked again and the child's end of the control pipe closed; or -1 with g_error set. */
pid_t fork_peer(int control[2], int listener);

/* Explain how the child ended without a message (it exited or was killed); `who` names it
 * ("receiver", "peer") and `when` says at which step. Reaps it; returns -1 with g_error set. */
int child_gone(pid_t child, const char *who, const char *when);

/* The end of a run, success or not: the child (if any) killed when the run failed, always reaped.
 * Returns rc, or -1 with g_error set when the run succeeded but the child did not exit 0. */
int reap_child(int rc, const char *who);

/* ---- streams and sockets (baseline_sockets.c) ---- */

/* Write all `bytes`, retrying after EINTR: 0, or -1 with errno set (g_error untouched, so the
 * caller can first ask the peer why). */
int write_all(int fd, const void *buffer, uint64_t bytes);

/* Read until `bytes` arrived or the stream ended: how many arrived, or -1 with errno set. */
int64_t read_full(int fd, void *buffer, uint64_t bytes);

/* A listening socket: Unix (`unix_socket` != 0) in a private dir named after `program`, or TCP on
 * 127.0.0.1 at a port the kernel picks (*port). The fd, or -1 with g_error set. */
int make_listener(int unix_socket, const char *program, uint16_t *port);

/* In the child: a socket connected to the parent's listener (g_sock, or 127.0.0.1:port). The fd,
 * or -1 with g_error set and the socket closed. */
int connect_back(int unix_socket, uint16_t port);

/* In the parent: wait until the child connects to `listener` or speaks (or closes its end) on the
 * control pipe. 1: a connection is waiting; 0: the control pipe spoke first; -1: poll failed
 * (g_error set). */
int await_connection(int listener, int control);

/* In the parent, once await_connection said 1: the peer's connection, the listener closed and the
 * socket file's dir removed (the peer is in, nobody else may come). The fd, or -1 with g_error. */
int accept_peer(int *listener);

/* ---- arguments (baseline_args.c) ---- */

/* Is `arg` --help or -h? Then the usage line is printed on stdout. */
int shows_help(const char *arg, const char *usage);

/* main's exit code when parse_args did not say "run" (parsed != 0): 0 after the help, 2 after
 * bad arguments, whose one line goes to stderr as "program: error". */
int exit_unparsed(int parsed, const char *program);

/* A value as shown in an error line: at most 60 bytes, control characters as '?'. */
const char *shown(const char *value);

/* The option `name`'s value as a whole number from min to max into *out: 0, or -1 with g_error
 * naming the value and the range. */
int parse_whole(const char *name, const char *value, uint64_t min, uint64_t max, uint64_t *out);

/* The option `name`'s value as an index into choices[count] into *out: 0, or -1 with g_error
 * naming the value and `valid`, the choices as the error line lists them. */
int parse_choice(const char *name, const char *value, const char *const *choices, int count, const char *valid, int *out);

/* parse_choice over CHANNELS. */
int parse_channel(const char *name, const char *value, int *out);

#endif
