/*
 * The hand-over's N-API plumbing (handoff.h): reading a callback's arguments, each bad one thrown
 * as one line naming the function and what would be valid, and every failed system call thrown as
 * one line naming the call and strerror.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "handoff.h"

/* "<call>: <what> failed: <strerror>", from errno. */
napi_value throw_errno(napi_env env, const char *call, const char *what) {
  char message[4800];
  snprintf(message, sizeof message, "%s: %s failed: %s", call, what, strerror(errno));
  napi_throw_error(env, NULL, message);
  return NULL;
}

int get_args(napi_env env, napi_callback_info info, size_t count, napi_value *argv, const char *usage) {
  size_t argc = count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != count) {
    char message[256];
    snprintf(message, sizeof message, "%s takes %zu argument%s", usage, count, count == 1 ? "" : "s");
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

/* Two arguments and an optional third (a reservation), or throw the usage line. */
int get_args_into(napi_env env, napi_callback_info info, napi_value *argv, napi_value *into, const char *usage) {
  size_t argc = 3;
  napi_value all[3];
  if (napi_get_cb_info(env, info, &argc, all, NULL, NULL) != napi_ok || argc < 2 || argc > 3) {
    char message[256];
    snprintf(message, sizeof message, "%s takes 2 or 3 arguments", usage);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  napi_valuetype type = napi_undefined;
  if (argc == 3) napi_typeof(env, all[2], &type);
  argv[0] = all[0];
  argv[1] = all[1];
  *into = type == napi_undefined ? NULL : all[2];
  return 1;
}

/* A descriptor number: a whole number >= 0, or -1 where `none_ok` (sendHandoff without one). */
int get_fd(napi_env env, napi_value value, const char *call, int none_ok, int *fd) {
  double number = 0;
  if (napi_get_value_double(env, value, &number) != napi_ok || number != (double)(int)number || number < (none_ok ? -1 : 0)) {
    char message[160];
    snprintf(message, sizeof message, "%s: the descriptor must be a whole number >= %d", call, none_ok ? -1 : 0);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  *fd = (int)number;
  return 1;
}

int get_bytes(napi_env env, napi_value value, const char *call, size_t *bytes) {
  double number = 0;
  if (napi_get_value_double(env, value, &number) != napi_ok || number < 0 || number > 9007199254740991.0 ||
      number != (double)(size_t)number) {
    char message[160];
    snprintf(message, sizeof message, "%s: bytes must be a whole number >= 0", call);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  *bytes = (size_t)number;
  return 1;
}

int get_path(napi_env env, napi_value value, const char *call, char *path, size_t size) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, path, size, &length) != napi_ok || length == 0 || length >= size - 1) {
    char message[160];
    snprintf(message, sizeof message, "%s: the path must be a non-empty string shorter than %zu bytes", call, size - 1);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

napi_value number_value(napi_env env, double number) {
  napi_value result;
  napi_create_double(env, number, &result);
  return result;
}

napi_value undefined_value(napi_env env) {
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}
