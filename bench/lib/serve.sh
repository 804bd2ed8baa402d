# Sourced by the HTTP benchmarks: starts `lifecircle serve --port 0` in the background and waits
# for its "listening on" line.
# usage: serve_in_background BINARY MANIFEST WORKDIR STDERR_FILE [serve options...]
# Sets server_pid and url; exits 1 when the server dies or does not listen within 120 s.
serve_in_background() {
  local bin=$1 manifest=$2 work=$3 err=$4
  shift 4
  "$bin" serve --data "$manifest" --port 0 "$@" >"$work/stdout" 2>"$err" &
  server_pid=$!
  url=
  for _ in $(seq 1 1200); do
    url=$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$work/stdout")
    [[ -n $url ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$err"; exit 1; }
    sleep 0.1
  done
  echo "server did not start"
  exit 1
}
