/* AppImage (type 2) runtime: this ELF, followed by a squashfs image of the AppDir.
 *
 * It mounts the image with squashfuse (FUSE 3) on a private temporary folder, or extracts it to
 * one, and executes the AppDir's AppRun in its own place, so the app keeps the pid the user
 * started. A forked child keeps the mount served (or the extracted copy alive) until that pid
 * exits, then unmounts (or deletes) it. Built statically (scripts/appimage/build-tools.sh), so it
 * needs nothing from the host but the kernel, and for mounting /dev/fuse (fusermount3 when not
 * root). */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#undef _POSIX_C_SOURCE /* squashfuse's config.h defines its own */
#include <squashfuse.h>
#include <ll.h>

#define RUNTIME_VERSION "anamnesis-appimage-runtime 1"

/* Empty, as the type 2 format allows: no update information, no signature. Tools that read
 * these sections (updaters, desktop integration) find them where they look. */
__attribute__((used, section(".upd_info"))) static const char update_info[1024] = "";
__attribute__((used, section(".sha256_sig"))) static const char signature[1024] = "";

static char self[PATH_MAX]; /* this AppImage */
static off_t image_offset;  /* where its squashfs starts */

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("appimage: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(127);
}

/* The squashfs starts where the ELF ends: after its section header table, the last thing the
 * linker writes. */
static off_t find_image(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("cannot read %s: %s", path, strerror(errno));
  Elf64_Ehdr eh;
  if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64)
    die("%s is not a 64-bit ELF file", path);
  off_t end = (off_t)eh.e_shoff + (off_t)eh.e_shentsize * eh.e_shnum;
  char magic[4];
  if (pread(fd, magic, sizeof magic, end) != (ssize_t)sizeof magic || memcmp(magic, "hsqs", 4) != 0)
    die("%s carries no squashfs image after its ELF part (at byte %lld): not an AppImage, or a "
        "truncated download",
        path, (long long)end);
  close(fd);
  return end;
}

static const char *tmp_dir(void) {
  const char *t = getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

/* mkdtemp under TMPDIR named after the AppImage (letters, digits, '.', '-', '_' only). */
static void make_temp_dir(char *out, size_t size, const char *prefix) {
  const char *base = strrchr(self, '/') + 1;
  char name[17];
  size_t n = 0;
  for (const char *c = base; *c && n < sizeof name - 1; c++)
    name[n++] = (strchr(".-_", *c) || (*c >= '0' && *c <= '9') || ((*c | 32) >= 'a' && (*c | 32) <= 'z')) ? *c : '_';
  name[n] = '\0';
  if ((size_t)snprintf(out, size, "%s/%s%s.XXXXXX", tmp_dir(), prefix, name) >= size)
    die("TMPDIR is too long: %s", tmp_dir());
  if (!mkdtemp(out)) die("cannot create a folder in %s: %s", tmp_dir(), strerror(errno));
}

/* Replaces this process with APPDIR/AppRun, passing ARGS on. */
__attribute__((noreturn)) static void exec_apprun(const char *appdir, int nargs, char **args, const char *argv0) {
  char cwd[PATH_MAX], apprun[PATH_MAX];
  snprintf(apprun, sizeof apprun, "%s/AppRun", appdir);
  setenv("APPDIR", appdir, 1);
  setenv("APPIMAGE", self, 1);
  setenv("ARGV0", argv0, 1);
  if (getcwd(cwd, sizeof cwd)) setenv("OWD", cwd, 1);
  char **argv = calloc((size_t)nargs + 2, sizeof *argv);
  if (!argv) die("out of memory");
  argv[0] = apprun;
  memcpy(argv + 1, args, (size_t)nargs * sizeof *argv);
  execv(apprun, argv);
  die("cannot run %s: %s", apprun, strerror(errno));
}

/* --- the guardian: a child that outlives the app by a moment to clean up after it ---------- */

/* A handle that becomes readable when PARENT exits (a pidfd), -1 where the kernel has none
 * (Linux before 5.3: then the guardian polls getppid), or -2 when PARENT is already gone. */
static int watch_parent(pid_t parent) {
  int fd = (int)syscall(SYS_pidfd_open, parent, 0);
  if (getppid() != parent) {
    if (fd >= 0) close(fd);
    return -2;
  }
  return fd;
}

/* Detaches the guardian from the terminal's signals and from the app's folders and output. */
static void become_guardian(void) {
  setsid();
  if (chdir("/") != 0) die("cannot change to /: %s", strerror(errno));
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    close(null);
  }
}

static void wait_parent_exit(int pidfd, pid_t parent) {
  if (pidfd >= 0) {
    struct pollfd p = {.fd = pidfd, .events = POLLIN};
    while (poll(&p, 1, -1) < 0 && errno == EINTR) continue;
  } else if (pidfd == -1) {
    while (getppid() == parent) sleep(1);
  }
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st, (void)type, (void)ftw;
  remove(path);
  return 0;
}

static void remove_tree(const char *dir) { nftw(dir, remove_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT); }

/* --- mounting -------------------------------------------------------------------------------- */

enum { MOUNTED = 0, BAD_IMAGE = 1, NO_FUSE = 2 };

/* Serves FUSE requests until the parent exits or the mount goes away. */
static void serve(struct fuse_session *se, int pidfd, pid_t parent) {
  struct fuse_buf buf = {0};
  struct pollfd fds[2] = {{.fd = fuse_session_fd(se), .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
  nfds_t n = pidfd >= 0 ? 2 : 1;
  for (;;) {
    int r = poll(fds, n, pidfd >= 0 ? -1 : 1000);
    if (r < 0 && errno != EINTR) break;
    if ((n == 2 && fds[1].revents) || (pidfd < 0 && getppid() != parent)) break;
    if (r <= 0) continue;
    if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) break;
    int got = fuse_session_receive_buf(se, &buf);
    if (got == -EINTR || got == -EAGAIN) continue;
    if (got <= 0) break;
    fuse_session_process_buf(se, &buf);
  }
  free(buf.mem);
}

static int send_status(int ready, char status) { return write(ready, &status, 1) == 1 ? 0 : -1; }

/* The guardian's work in FUSE mode: mount, tell the parent (one status byte on READY), serve. */
static int mount_and_serve(const char *mnt, pid_t parent, int ready) {
  become_guardian();
  int pidfd = watch_parent(parent);
  if (pidfd == -2) return 0;
  sqfs_ll *ll = sqfs_ll_open(self, (size_t)image_offset);
  if (!ll) return send_status(ready, BAD_IMAGE), 1;
  char name[PATH_MAX], options[PATH_MAX + 64];
  snprintf(name, sizeof name, "%s", self);
  for (char *c = name; *c; c++) /* a comma or backslash would split the options */
    if (*c == ',' || *c == '\\') *c = '_';
  snprintf(options, sizeof options, "ro,nodev,nosuid,subtype=appimage,fsname=%s", name);
  char *fuse_argv[] = {"appimage", "-o", options, NULL};
  struct fuse_args args = FUSE_ARGS_INIT(3, fuse_argv);
  struct fuse_lowlevel_ops ops = {
      .lookup = sqfs_ll_op_lookup,
      .forget = sqfs_ll_op_forget,
      .getattr = sqfs_ll_op_getattr,
      .readlink = sqfs_ll_op_readlink,
      .open = sqfs_ll_op_open,
      .read = sqfs_ll_op_read,
      .release = sqfs_ll_op_release,
      .opendir = sqfs_ll_op_opendir,
      .readdir = sqfs_ll_op_readdir,
      .releasedir = sqfs_ll_op_releasedir,
      .statfs = stfs_ll_op_statfs,
      .getxattr = sqfs_ll_op_getxattr,
      .listxattr = sqfs_ll_op_listxattr,
      .create = sqfs_ll_op_create,
  };
  struct fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, ll);
  if (!se || fuse_session_mount(se, mnt) != 0) return send_status(ready, NO_FUSE), 1;
  if (send_status(ready, MOUNTED) != 0) {
    fuse_session_unmount(se);
    return 1;
  }
  close(ready);
  serve(se, pidfd, parent);
  fuse_session_unmount(se); /* lazy: helpers the app left behind still see their files */
  fuse_session_destroy(se);
  rmdir(mnt);
  return 0;
}

/* Mounts the image; runs AppRun with ARGS on it, or with MOUNT_ONLY prints where it is and
 * keeps it mounted until this process is stopped. */
static int run_mounted(int nargs, char **args, const char *argv0, int mount_only) {
  char mnt[PATH_MAX];
  make_temp_dir(mnt, sizeof mnt, ".mount_");
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) die("pipe: %s", strerror(errno));
  pid_t parent = getpid();
  fflush(NULL);
  pid_t child = fork();
  if (child < 0) die("fork: %s", strerror(errno));
  if (child == 0) {
    close(ready[0]);
    _exit(mount_and_serve(mnt, parent, ready[1]));
  }
  close(ready[1]);
  char status = NO_FUSE;
  ssize_t got;
  do got = read(ready[0], &status, 1);
  while (got < 0 && errno == EINTR);
  close(ready[0]);
  if (got != 1 || status != MOUNTED) {
    waitpid(child, NULL, 0);
    rmdir(mnt);
    if (got == 1 && status == BAD_IMAGE) die("%s: its squashfs image cannot be read (a damaged file?)", self);
    die("cannot mount %s with FUSE (see the message above). It needs FUSE 3: /dev/fuse, and the fuse3 "
        "package (fusermount3) when not run as root. Without FUSE, run it from a temporary "
        "extracted copy instead: APPIMAGE_EXTRACT_AND_RUN=1 %s (or pass --appimage-extract-and-run "
        "as the first argument)",
        self, self);
  }
  if (mount_only) {
    printf("%s\n", mnt);
    fflush(stdout);
    for (;;) pause();
  }
  exec_apprun(mnt, nargs, args, argv0);
}

/* --- extracting ------------------------------------------------------------------------------ */

/* Squashfs names are not trusted to stay inside the destination. */
static int safe_relative(const char *p) {
  if (!*p || *p == '/') return 0;
  for (const char *c = p; c; c = strchr(c, '/')) {
    if (*c == '/') c++;
    size_t len = strcspn(c, "/");
    if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.')) return 0;
  }
  return 1;
}

static void make_parents(char *path) {
  for (char *c = strchr(path + 1, '/'); c; c = strchr(c + 1, '/')) {
    *c = '\0';
    mkdir(path, 0755);
    *c = '/';
  }
}

static int extract_file(sqfs *fs, sqfs_inode *inode, const char *out, char *buf, size_t bufsize) {
  unlink(out);
  int fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return -1;
  sqfs_off_t pos = 0, size = (sqfs_off_t)inode->xtra.reg.file_size;
  while (pos < size) {
    sqfs_off_t n = size - pos < (sqfs_off_t)bufsize ? size - pos : (sqfs_off_t)bufsize;
    if (sqfs_read_range(fs, inode, pos, &n, buf) != SQFS_OK || n <= 0) goto fail;
    for (sqfs_off_t done = 0; done < n;) {
      ssize_t w = write(fd, buf + done, (size_t)(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) goto fail;
      done += w;
    }
    pos += n;
  }
  if (fchmod(fd, inode->base.mode & 0777) != 0) goto fail;
  return close(fd);
fail:
  close(fd);
  return -1;
}

/* Writes the image's files (all, or only ONLY and what is under it) into DEST. */
static int extract_to(const char *dest, const char *only) {
  sqfs fs;
  if (sqfs_open_image(&fs, self, (size_t)image_offset) != SQFS_OK) return -1;
  if (mkdir(dest, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "appimage: cannot create %s: %s\n", dest, strerror(errno));
    return -1;
  }
  size_t bufsize = 1 << 20, only_len = only ? strlen(only) : 0;
  char *buf = malloc(bufsize), out[PATH_MAX], target[PATH_MAX + 1];
  sqfs_traverse trv;
  sqfs_err err = sqfs_traverse_open(&trv, &fs, sqfs_inode_root(&fs));
  int rc = buf && err == SQFS_OK ? 0 : -1, written = 0;
  while (rc == 0 && sqfs_traverse_next(&trv, &err)) {
    if (trv.dir_end) continue;
    const char *rel = trv.path;
    if (!safe_relative(rel)) {
      fprintf(stderr, "appimage: refusing the entry %s\n", rel);
      rc = -1;
      break;
    }
    int wanted = !only || (strncmp(rel, only, only_len) == 0 && (rel[only_len] == '\0' || rel[only_len] == '/'));
    if (!wanted) {
      size_t len = strlen(rel);
      if (!(sqfs_dentry_is_dir(&trv.entry) && strncmp(only, rel, len) == 0 && only[len] == '/'))
        sqfs_traverse_prune(&trv);
      continue;
    }
    if ((size_t)snprintf(out, sizeof out, "%s/%s", dest, rel) >= sizeof out) {
      rc = -1;
      break;
    }
    written++;
    if (only) make_parents(out);
    sqfs_inode inode;
    if (sqfs_inode_get(&fs, &inode, sqfs_dentry_inode(&trv.entry)) != SQFS_OK) {
      rc = -1;
      break;
    }
    mode_t mode = inode.base.mode;
    if (S_ISDIR(mode)) {
      if (mkdir(out, (mode & 0777) | 0700) != 0 && errno != EEXIST) rc = -1;
    } else if (S_ISREG(mode)) {
      rc = extract_file(&fs, &inode, out, buf, bufsize);
    } else if (S_ISLNK(mode)) {
      size_t size = sizeof target;
      unlink(out);
      if (sqfs_readlink(&fs, &inode, target, &size) != SQFS_OK || symlink(target, out) != 0) rc = -1;
    } else {
      fprintf(stderr, "appimage: skipping %s: not a file, folder or link\n", rel);
    }
    if (rc != 0) fprintf(stderr, "appimage: cannot extract %s: %s\n", out, strerror(errno));
  }
  if (err != SQFS_OK) rc = -1;
  if (rc == 0 && only && written == 0) {
    fprintf(stderr, "appimage: nothing in the image is named %s\n", only);
    rc = -1;
  }
  sqfs_traverse_close(&trv);
  sqfs_destroy(&fs);
  free(buf);
  return rc;
}

static int run_extracted(int nargs, char **args, const char *argv0) {
  char dir[PATH_MAX];
  make_temp_dir(dir, sizeof dir, "appimage_extracted_");
  if (extract_to(dir, NULL) != 0) {
    remove_tree(dir);
    die("cannot extract %s into %s (is there room in TMPDIR?)", self, dir);
  }
  pid_t parent = getpid();
  fflush(NULL);
  pid_t child = fork();
  if (child < 0) die("fork: %s", strerror(errno));
  if (child == 0) {
    become_guardian();
    wait_parent_exit(watch_parent(parent), parent);
    remove_tree(dir);
    _exit(0);
  }
  exec_apprun(dir, nargs, args, argv0);
}

/* --- entry ----------------------------------------------------------------------------------- */

static void usage(const char *argv0) {
  printf("Usage: %s [ARGS...]    run the app (mounts this AppImage with FUSE 3)\n"
         "  --appimage-extract-and-run [ARGS...]  run it from a temporary extracted copy, no FUSE\n"
         "                                        needed (or set APPIMAGE_EXTRACT_AND_RUN=1)\n"
         "  --appimage-extract [PATH]             extract everything (or PATH) to ./squashfs-root\n"
         "  --appimage-mount                      mount it, print where, wait until interrupted\n"
         "  --appimage-offset                     print the byte offset of the squashfs image\n"
         "  --appimage-version                    print the runtime's version\n"
         "  --appimage-help                       print this help\n",
         argv0);
}

int main(int argc, char **argv) {
  if (!realpath("/proc/self/exe", self)) die("cannot find this AppImage's own file (/proc/self/exe: %s); is /proc mounted?", strerror(errno));
  image_offset = find_image(self);
  const char *opt = argc > 1 ? argv[1] : "";
  if (strncmp(opt, "--appimage-", 11) == 0) {
    if (strcmp(opt, "--appimage-extract-and-run") == 0) return run_extracted(argc - 2, argv + 2, argv[0]);
    if (strcmp(opt, "--appimage-extract") == 0) {
      if (argc > 3) die("--appimage-extract takes at most one path");
      if (extract_to("squashfs-root", argc > 2 ? argv[2] : NULL) != 0) die("extraction failed");
      return 0;
    }
    if (strcmp(opt, "--appimage-mount") == 0) return run_mounted(0, NULL, argv[0], 1);
    if (strcmp(opt, "--appimage-offset") == 0) return printf("%lld\n", (long long)image_offset) < 0;
    if (strcmp(opt, "--appimage-version") == 0) return puts(RUNTIME_VERSION) < 0;
    if (strcmp(opt, "--appimage-help") == 0) return usage(argv[0]), 0;
    die("unknown option %s (--appimage-help lists them)", opt);
  }
  const char *e = getenv("APPIMAGE_EXTRACT_AND_RUN");
  if (e && *e && strcmp(e, "0") != 0) return run_extracted(argc - 1, argv + 1, argv[0]);
  return run_mounted(argc - 1, argv + 1, argv[0], 0);
}
