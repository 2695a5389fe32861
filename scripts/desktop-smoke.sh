# Sourced by the installer smoke tests (test-deb.sh, test-appimage.sh): the steps they share on
# a launched app under Xvfb. The caller defines say/ok/die, x (runs a command on its display),
# T (its throwaway HOME and XDG folders), LOG and APP_ENV (the env command that launches).

# find_window PID: the id of the visible window titled Anamnesis that belongs to PID.
find_window() {
  local w
  for w in $(x xdotool search --onlyvisible --name '^Anamnesis$' 2>/dev/null); do
    [[ "$(x xdotool getwindowpid "$w" 2>/dev/null)" == "$1" ]] && { echo "$w"; return 0; }
  done
  return 1
}

# launch_app EXE WHAT: starts EXE in the background, waits for its window; sets APP_PID, WIN.
launch_app() {
  "${APP_ENV[@]}" "$1" >>"$LOG" 2>&1 &
  APP_PID=$!
  WIN=""
  for _ in $(seq 120); do
    kill -0 "$APP_PID" 2>/dev/null || die "$2 exited during startup"
    WIN="$(find_window "$APP_PID")" && break
    sleep 0.5
  done
  [[ -n "$WIN" ]] || die "no window titled Anamnesis from pid $APP_PID after 60 s"
}

geometry() { x xdotool getwindowgeometry "$1" | sed -n 's/^ *Geometry: //p'; }

# wait_for_db WHAT: the UI reached the Rust side: the history database appears under XDG_DATA_HOME.
wait_for_db() {
  DB="$T/data/app.anamnesis.desktop/anamnesis.db"
  for _ in $(seq 60); do
    [[ -s "$DB" ]] && break
    kill -0 "$APP_PID" 2>/dev/null || die "$1 exited"
    sleep 0.5
  done
  [[ -s "$DB" ]] || die "the UI did not reach the app: no $DB after 30 s"
}

# second_launch EXE: must hand over to the running app and exit 0, leaving one window.
second_launch() {
  local rc=0 windows
  timeout 30 "${APP_ENV[@]}" "$1" >>"$LOG" 2>&1 || rc=$?
  ((rc == 0)) || die "the second launch exited with status $rc (124: it kept running)"
  kill -0 "$APP_PID" 2>/dev/null || die "the first instance died when the second was launched"
  windows="$( (x xdotool search --onlyvisible --name '^Anamnesis$' || true) | wc -l)"
  ((windows == 1)) || die "$windows Anamnesis windows after a second launch, want 1"
  ok "a second launch handed over to the running app and exited 0; one window"
}

# Window state, first half: resizes $WIN to 900x640 and waits until it is, before the caller
# closes the window (which saves the state).
resize_window() {
  x xdotool windowsize "$WIN" 900 640
  for _ in $(seq 20); do [[ "$(geometry "$WIN")" == "900x640" ]] && break; sleep 0.25; done
  [[ "$(geometry "$WIN")" == "900x640" ]] || die "could not resize the window to 900x640 (it is $(geometry "$WIN"))"
  sleep 1 # let the app see the resize before it is asked to close
}

# Second half, after a relaunch: the window came back at the size saved in STATE.
expect_saved_size() {
  for _ in $(seq 20); do [[ "$(geometry "$WIN")" == "900x640" ]] && break; sleep 0.25; done
  [[ "$(geometry "$WIN")" == "900x640" ]] || die "the relaunched window is $(geometry "$WIN"), want the saved 900x640 ($(cat "$1"))"
}

# start_session SECRET [DIR...]: a throwaway world under $T: Xvfb on a free display (sets n,
# XVFB_PID), the HOME and XDG folders (and DIRs), a D-Bus session (DBUS_PID) and on it an
# unlocked GNOME Keyring (the history's key lives in the Secret Service, as in a desktop session;
# without one the app asks for a passphrase instead of opening the history).
start_session() {
  local secret="$1"
  shift
  n=90
  while [[ -e "/tmp/.X$n-lock" || -e "/tmp/.X11-unix/X$n" ]]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 50); do [[ -S "/tmp/.X11-unix/X$n" ]] && break; sleep 0.1; done
  [[ -S "/tmp/.X11-unix/X$n" ]] || die "Xvfb did not start on :$n"
  mkdir -p "$T/home" "$T/config" "$T/data" "$T/cache" "$T/runtime" "$@"
  chmod 700 "$T/runtime"
  dbus-daemon --session --address="unix:path=$T/runtime/bus" --nofork --nopidfile >/dev/null 2>&1 &
  DBUS_PID=$!
  for _ in $(seq 50); do [[ -S "$T/runtime/bus" ]] && break; sleep 0.1; done
  [[ -S "$T/runtime/bus" ]] || die "dbus-daemon did not start"
  printf '%s' "$secret" | env HOME="$T/home" XDG_RUNTIME_DIR="$T/runtime" DBUS_SESSION_BUS_ADDRESS="unix:path=$T/runtime/bus" \
    "$ROOT/scripts/keyring-up.sh" --unlock || die "gnome-keyring-daemon did not start"
}
