/* AppRun: the AppImage's entry point, in the AppDir's top folder. Runs the desktop entry's Exec=
 * program with the AppDir's programs, GTK/GLib modules, schemas and data put first, from
 * APPDIR/usr: the gtk plugin rewrites the WebKit library's compiled-in helper paths from /usr to
 * ././, so they resolve against that folder. It sets, for the folders the plugins filled, what
 * their AppRun hooks would export (scripts/appimage/linuxdeploy.sh checks that it does, then
 * drops the hooks); with APPRUN_PRINT_ENV=1 it prints those variables instead of running. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char appdir[PATH_MAX];
static int print_only;

__attribute__((noreturn)) static void fail(const char *what, const char *detail) {
  fprintf(stderr, "AppRun: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  exit(127);
}

static char *in_appdir(const char *rel) {
  char *p;
  if (asprintf(&p, "%s%s%s", appdir, *rel ? "/" : "", rel) < 0) fail("out of memory", NULL);
  return p;
}

static int present(const char *rel) {
  char *p = in_appdir(rel);
  int ok = access(p, F_OK) == 0;
  free(p);
  return ok;
}

static void set(const char *name, const char *value) {
  if (print_only) printf("%s=%s\n", name, value);
  if (setenv(name, value, 1) != 0) fail("cannot set", name);
}

/* NAME=APPDIR/REL, when REL is in the AppDir. */
static void set_in(const char *name, const char *rel) {
  if (!present(rel)) return;
  char *p = in_appdir(rel);
  set(name, p);
  free(p);
}

/* NAME=APPDIR/REL1:APPDIR/REL2:…:previous value (or FALLBACK), for the RELs that are there. */
static void prepend(const char *name, const char *const *rels, const char *fallback) {
  size_t cap = 1;
  for (const char *const *r = rels; *r; r++) cap += strlen(appdir) + strlen(*r) + 2;
  const char *old = getenv(name);
  if (!old || !*old) old = fallback;
  cap += old ? strlen(old) : 0;
  char *v = calloc(cap, 1);
  if (!v) fail("out of memory", NULL);
  for (const char *const *r = rels; *r; r++)
    if (present(*r)) sprintf(v + strlen(v), "%s%s/%s", *v ? ":" : "", appdir, *r);
  if (!*v) return free(v);
  if (old) sprintf(v + strlen(v), ":%s", old);
  set(name, v);
  free(v);
}

/* Runs ARGV (from PATH, with the environment as it came) and keeps up to SIZE-1 bytes of its
 * output; an empty string when it cannot run. */
static void capture(char *const argv[], char *out, size_t size) {
  int pipefd[2];
  out[0] = '\0';
  if (pipe2(pipefd, O_CLOEXEC) != 0) return;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int spawned = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) == 0;
  posix_spawn_file_actions_destroy(&fa);
  close(pipefd[1]);
  size_t len = 0;
  ssize_t n;
  while (spawned && len < size - 1 && ((n = read(pipefd[0], out + len, size - 1 - len)) > 0 || (n < 0 && errno == EINTR)))
    if (n > 0) len += (size_t)n;
  out[len] = '\0';
  close(pipefd[0]);
  if (spawned) waitpid(pid, NULL, 0);
}

/* "dark" or "light", as the desktop prefers: the settings portal, else GNOME's setting (what the
 * gtk plugin's hook asks). The bundled GTK draws its own Adwaita, and WebKit reports its variant
 * to the page as prefers-color-scheme. */
static const char *color_variant(void) {
  char out[4096];
  const char *bus = getenv("DBUS_SESSION_BUS_ADDRESS"), *run = getenv("XDG_RUNTIME_DIR");
  char socket[PATH_MAX];
  snprintf(socket, sizeof socket, "%s/bus", run ? run : "");
  /* Without a session bus address dbus-send would try to autolaunch one. */
  if ((bus && *bus) || (run && access(socket, F_OK) == 0)) {
    char *q[] = {"dbus-send", "--session", "--dest=org.freedesktop.portal.Desktop", "--type=method_call",
                 "--print-reply", "--reply-timeout=1000", "/org/freedesktop/portal/desktop",
                 "org.freedesktop.portal.Settings.Read", "string:org.freedesktop.appearance",
                 "string:color-scheme", NULL};
    capture(q, out, sizeof out);
    char *u = strstr(out, "uint32 ");
    for (char *next; u && (next = strstr(u + 1, "uint32 ")); u = next) continue;
    if (u) return atoi(u + 7) == 1 ? "dark" : "light";
  }
  char *g[] = {"gsettings", "get", "org.gnome.desktop.interface", "color-scheme", NULL};
  capture(g, out, sizeof out);
  return strstr(out, "prefer-dark") ? "dark" : "light";
}

/* No LD_LIBRARY_PATH: linuxdeploy gives every ELF file in the AppDir a RUNPATH into usr/lib,
 * and the variable would reach the host programs the app starts (xdg-open, the browser a link
 * opens in), loading this AppImage's GLib and GTK into them instead of their own. */
static void set_environment(void) {
  static const char *const bin[] = {"usr/bin", "usr/sbin", "bin", "sbin", NULL};
  static const char *const share[] = {"usr/share", NULL};
  set("APPDIR", appdir);
  prepend("PATH", bin, "/usr/local/bin:/usr/bin:/bin");
  prepend("XDG_DATA_DIRS", share, "/usr/local/share:/usr/share");
  set_in("GSETTINGS_SCHEMA_DIR", "usr/share/glib-2.0/schemas");
  set_in("GI_TYPELIB_PATH", "usr/lib/girepository-1.0");
  set_in("GIO_MODULE_DIR", "usr/lib/gio/modules");
  set_in("GDK_PIXBUF_MODULE_FILE", "usr/lib/gdk-pixbuf-2.0/2.10.0/loaders.cache");
  if (present("usr/lib/gtk-3.0")) {
    set_in("GTK_PATH", "usr/lib/gtk-3.0");
    set_in("GTK_IM_MODULE_FILE", "usr/lib/gtk-3.0/3.0.0/immodules.cache");
    set_in("GTK_EXE_PREFIX", "usr");
    set_in("GTK_DATA_PREFIX", "");
    /* Host themes may not suit the bundled GTK; APPIMAGE_GTK_THEME overrides, as with the hook. */
    const char *theme = getenv("APPIMAGE_GTK_THEME");
    char fallback[32];
    if (!theme || !*theme) {
      snprintf(fallback, sizeof fallback, "Adwaita:%s", print_only ? "light" : color_variant());
      theme = fallback;
    }
    set("GTK_THEME", theme);
  }
  if (present("usr/lib/gstreamer-1.0")) {
    set("GST_REGISTRY_REUSE_PLUGIN_SCANNER", "no");
    set_in("GST_PLUGIN_SYSTEM_PATH_1_0", "usr/lib/gstreamer-1.0");
    set_in("GST_PLUGIN_PATH_1_0", "usr/lib/gstreamer-1.0");
    set_in("GST_PLUGIN_SCANNER_1_0", "usr/lib/gstreamer1.0/gstreamer-1.0/gst-plugin-scanner");
    set_in("GST_PTP_HELPER_1_0", "usr/lib/gstreamer1.0/gstreamer-1.0/gst-ptp-helper");
  }
}

/* The Exec= value of the AppDir's desktop entry (the first *.desktop in its top folder). */
static char *desktop_exec(void) {
  struct dirent **names;
  int n = scandir(appdir, &names, NULL, alphasort);
  if (n < 0) fail("cannot list", appdir);
  char *path = NULL;
  for (int i = 0; i < n; i++) {
    size_t len = strlen(names[i]->d_name);
    if (!path && len > 8 && strcmp(names[i]->d_name + len - 8, ".desktop") == 0) path = in_appdir(names[i]->d_name);
    free(names[i]);
  }
  free(names);
  if (!path) fail("no .desktop file in", appdir);
  FILE *f = fopen(path, "r");
  if (!f) fail("cannot read", path);
  char *line = NULL, *exec = NULL;
  size_t cap = 0;
  int in_entry = 0;
  while (!exec && getline(&line, &cap, f) > 0) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '[') in_entry = strcmp(line, "[Desktop Entry]") == 0;
    else if (in_entry && strncmp(line, "Exec=", 5) == 0) exec = strdup(line + 5);
  }
  free(line);
  fclose(f);
  if (!exec || !*exec) fail("no Exec= line in", path);
  free(path);
  return exec;
}

/* Splits an Exec= value into arguments (the desktop entry spec's quoting), putting ARGS where
 * its first %f/%F/%u/%U is, or after it; other field codes are dropped. */
static char **command_line(char *exec, int nargs, char **args) {
  char **argv = calloc(strlen(exec) + (size_t)nargs + 2, sizeof *argv);
  if (!argv) fail("out of memory", NULL);
  int argc = 0, placed = 0;
  char *r = exec;
  while (*r) {
    while (*r == ' ' || *r == '\t') r++;
    if (!*r) break;
    char *start = r, *w = r;
    int quoted = 0, field = 0;
    for (; *r && (quoted || (*r != ' ' && *r != '\t')); r++) {
      if (*r == '"') quoted = !quoted;
      else if (quoted && *r == '\\' && r[1]) *w++ = *++r;
      else if (!quoted && *r == '%' && r[1]) {
        r++;
        if (*r == '%') *w++ = '%';
        else if (strchr("fFuU", *r)) field = 1;
      } else *w++ = *r;
    }
    if (*r) r++;
    *w = '\0';
    if (field && !placed) {
      for (int i = 0; i < nargs; i++) argv[argc++] = args[i];
      placed = 1;
    }
    if (*start) argv[argc++] = start;
  }
  if (!placed)
    for (int i = 0; i < nargs; i++) argv[argc++] = args[i];
  if (argc == 0 || !argv[0]) fail("the desktop entry's Exec= line is empty", NULL);
  return argv;
}

int main(int argc, char **argv) {
  char self[PATH_MAX];
  if (!realpath("/proc/self/exe", self)) fail("cannot find its own file (is /proc mounted?)", strerror(errno));
  *strrchr(self, '/') = '\0';
  snprintf(appdir, sizeof appdir, "%s", self);
  const char *p = getenv("APPRUN_PRINT_ENV");
  print_only = p && *p && strcmp(p, "0") != 0;
  set_environment();
  if (print_only) return 0;
  char **cmd = command_line(desktop_exec(), argc - 1, argv + 1);
  char *usr = in_appdir("usr");
  if (chdir(usr) != 0) fail("cannot change to", usr);
  execvp(cmd[0], cmd);
  fprintf(stderr, "AppRun: cannot run %s from %s: %s\n", cmd[0], usr, strerror(errno));
  return 127;
}
