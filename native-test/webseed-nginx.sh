# Test helper, sourced after lib.sh: Debian's nginx as a web seed (it answers Range requests;
# python3's http.server does not). start_webseed_nginx ROOT PORT [tls] serves ROOT at
# http://127.0.0.1:PORT/ (with tls: https://127.0.0.1:PORT/ under a self-signed certificate for
# 127.0.0.1 and localhost, $dir/cert.pem, also put in the Java trust store $dir/trust.p12)
# with keep-alive, its config, pid and logs under $WORK; stopped at exit.
start_webseed_nginx() {
  local root=$1 port=$2 tls=${3:-} dir="$WORK/nginx-$2" listen="127.0.0.1:$2"
  command -v nginx >/dev/null || skip "nginx not installed (nginx-light)"
  mkdir -p "$dir/tmp"
  if [[ -n $tls ]]; then
    command -v openssl >/dev/null || skip "openssl not installed"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null || fail "openssl could not make a certificate"
    keytool -importcert -noprompt -alias webseed -file "$dir/cert.pem" -keystore "$dir/trust.p12" \
      -storetype PKCS12 -storepass changeit > /dev/null 2>&1 || fail "keytool could not make a trust store"
    listen="$listen ssl; ssl_certificate $dir/cert.pem; ssl_certificate_key $dir/key.pem"
  fi
  cat > "$dir/nginx.conf" <<CONF
daemon off;
user root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 256; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  types { application/octet-stream bin; }
  default_type application/octet-stream;
  sendfile on;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  server {
    listen $listen;
    root $root;
  }
}
CONF
  nginx -c "$dir/nginx.conf" -p "$dir" > "$dir/stdout.log" 2>&1 &
  NGINX_PID=$!
  on_exit "kill_pid $NGINX_PID"
  wait_for bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null \
    || { cat "$dir/stdout.log" "$dir/error.log" >&2; fail "nginx did not start"; }
}
