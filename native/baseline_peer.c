/*
 * The baselines' peer process (baseline_common.h): fork it, reap it on every path, and undo what a
 * signal must undo — the child, and the Unix socket's private dir — before the process dies of it.
 */
#define _GNU_SOURCE
#include "baseline_common.h"

#include <sys/prctl.h>

volatile sig_atomic_t g_child = 0;
volatile sig_atomic_t g_have_dir = 0;
char g_dir[4096];
char g_sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
sigset_t g_deadly;

void remove_socket_dir(void) {
  if (!g_have_dir) return;
  g_have_dir = 0;
  unlink(g_sock);
  rmdir(g_dir);
}

/* SIGTERM, SIGINT, SIGHUP: kill and reap the child, remove the socket dir, then die of the signal.
 * Async-signal-safe calls only. */
static void on_signal(int sig) {
  pid_t child = (pid_t)g_child;
  if (child > 0) {
    kill(child, SIGKILL);
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
    }
  }
  remove_socket_dir();
  signal(sig, SIG_DFL);
  raise(sig);
}

void install_signal_handlers(void) {
  sigemptyset(&g_deadly);
  sigaddset(&g_deadly, SIGTERM);
  sigaddset(&g_deadly, SIGINT);
  sigaddset(&g_deadly, SIGHUP);
  struct sigaction action = {.sa_handler = on_signal, .sa_mask = g_deadly};
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGHUP, &action, NULL);
  signal(SIGPIPE, SIG_IGN);
}

void child_start(pid_t parent) {
  /* The handler is the parent's: it would kill and reap a child this process does not have. */
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  g_have_dir = 0;
  sigprocmask(SIG_UNBLOCK, &g_deadly, NULL);
  /* Checked after asking: a parent that died before the prctl would never send the signal. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(1);
}

int open_control(int control[2]) {
  sigprocmask(SIG_BLOCK, &g_deadly, NULL);
  return pipe2(control, O_CLOEXEC) == 0 ? 0 : fail_errno("pipe for control");
}

pid_t fork_peer(int control[2], int listener) {
  /* Flushed first, so that the child cannot print the parent's buffered output again. */
  fflush(stdout);
  pid_t child = fork();
  if (child < 0) return fail_errno("fork");
  if (child == 0) {
    close_fd(&control[0]);
    if (listener >= 0) close(listener);
    return 0;
  }
  g_child = child;
  sigprocmask(SIG_UNBLOCK, &g_deadly, NULL);
  close_fd(&control[1]);
  return child;
}

int child_gone(pid_t child, const char *who, const char *when) {
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  g_child = 0;
  if (WIFSIGNALED(status)) return fail("the %s was killed by signal %d %s", who, WTERMSIG(status), when);
  return fail("the %s exited with status %d %s", who, WEXITSTATUS(status), when);
}

int reap_child(int rc, const char *who) {
  pid_t child = (pid_t)g_child;
  if (child <= 0) return rc;
  int status = 0;
  if (rc != 0) kill(child, SIGKILL);
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  g_child = 0;
  if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) return fail("the %s did not exit cleanly", who);
  return rc;
}
