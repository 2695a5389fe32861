/* The linuxdeploy the Tauri bundler runs, as a native executable: the bundler overwrites bytes 8-10
 * of the file it runs (an AppImage's magic), which an ELF header does not use, where a script's
 * first line would break. It runs linuxdeploy.sh, compiled in, with bash: the script sees this
 * file as $0 and as LINUXDEPLOY (the plugins call it back through that). `--write-runtime FILE`
 * writes the AppImage runtime, also compiled in, to FILE. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SCRIPT_FILE
#error "build with -DSCRIPT_FILE=\"linuxdeploy.sh\" -DRUNTIME_FILE=\"runtime\" (scripts/appimage/build-tools.sh)"
#endif

/* The files' bytes, placed by the assembler; the script gets a terminating NUL. */
__asm__(".section .rodata\n"
        ".global ld_script\nld_script:\n.incbin \"" SCRIPT_FILE "\"\n.byte 0\n"
        ".global ld_runtime\nld_runtime:\n.incbin \"" RUNTIME_FILE "\"\n"
        ".global ld_runtime_end\nld_runtime_end:\n"
        ".previous\n");
extern const char ld_script[], ld_runtime[], ld_runtime_end[];

static int write_runtime(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  if (fd < 0) return perror(path), 1;
  for (const char *p = ld_runtime; p < ld_runtime_end;) {
    ssize_t n = write(fd, p, (size_t)(ld_runtime_end - p));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return perror(path), close(fd), 1;
    p += n;
  }
  return close(fd) != 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--write-runtime") == 0) return write_runtime(argv[2]);
  char self[PATH_MAX];
  if (!realpath("/proc/self/exe", self)) return perror("linuxdeploy: /proc/self/exe"), 1;
  setenv("LINUXDEPLOY", self, 1);
  char **args = calloc((size_t)argc + 4, sizeof *args);
  if (!args) return 1;
  args[0] = "bash";
  args[1] = "-c";
  args[2] = (char *)ld_script;
  args[3] = self;
  memcpy(args + 4, argv + 1, (size_t)(argc - 1) * sizeof *args);
  execvp("bash", args);
  perror("linuxdeploy: bash");
  return 127;
}
