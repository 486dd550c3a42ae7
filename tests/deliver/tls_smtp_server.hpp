// TlsSmtpServer: a minimal SMTP server with STARTTLS and AUTH PLAIN, in Python 3 (stdlib `ssl`),
// for the parts of the e-mail channel the real server cannot test: Debian 12's OpenSMTPD 6.8
// fails every TLS handshake with OpenSSL 3 ("EVP lib", OpenSMTPD/OpenSMTPD#1171 and #1239), and
// AUTH needs TLS. The TLS itself is OpenSSL's on both sides, with a certificate made by the
// openssl tool for 127.0.0.1; the SMTP dialogue is the RFC 3207/4954 minimum: EHLO offers
// STARTTLS before TLS and "AUTH PLAIN" after it, MAIL is refused (530) before a successful AUTH,
// a wrong password gets "535 5.7.8".
//
// Each accepted message is written to <dir>/<n>.eml (dot-unstuffed). Started by the constructor
// (which waits for the port), killed and reaped by the destructor. Needs /usr/bin/python3 and
// /usr/bin/openssl; unavailable_reason() says what is missing.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest::testing {

inline constexpr const char* kTlsSmtpServer = R"PY(
import base64, os, socket, ssl, sys
cert, key, user, password, outdir = sys.argv[1:6]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(8)
print(server.getsockname()[1], flush=True)
count = 0

def serve(conn):
    global count
    stream = conn.makefile('rwb')
    def send(line):
        stream.write(line.encode() + b'\r\n')
        stream.flush()
    send('220 tls.test ESMTP')
    tls = authed = False
    while True:
        raw = stream.readline()
        if not raw:
            return
        command = raw.decode('utf-8', 'replace').rstrip('\r\n')
        verb = command.split(' ')[0].upper()
        if verb in ('EHLO', 'HELO'):
            send('250-tls.test')
            send('250 AUTH PLAIN' if tls else '250 STARTTLS')
        elif verb == 'STARTTLS' and not tls:
            send('220 2.0.0 Ready to start TLS')
            conn = context.wrap_socket(conn, server_side=True)
            stream = conn.makefile('rwb')
            tls = True
        elif verb == 'AUTH' and tls:
            words = command.split(' ')
            if len(words) > 2:
                data = words[2]
            else:
                send('334 ')
                data = stream.readline().decode().strip()
            fields = base64.b64decode(data).split(b'\0')
            if len(fields) == 3 and fields[1] == user.encode() and fields[2] == password.encode():
                authed = True
                send('235 2.7.0 Authentication successful')
            else:
                send('535 5.7.8 Authentication credentials invalid')
        elif verb == 'MAIL':
            send('250 2.1.0 Ok' if authed else '530 5.7.0 Authentication required')
        elif verb == 'RCPT':
            send('250 2.1.5 Ok')
        elif verb == 'DATA':
            send('354 End data with <CR><LF>.<CR><LF>')
            lines = []
            while True:
                line = stream.readline()
                if line in (b'.\r\n', b''):
                    break
                lines.append(line[1:] if line.startswith(b'.') else line)
            count += 1
            path = os.path.join(outdir, '%d.eml' % count)
            with open(path + '.tmp', 'wb') as out:
                out.write(b''.join(lines))
            os.rename(path + '.tmp', path)
            send('250 2.0.0 Ok: queued')
        elif verb == 'QUIT':
            send('221 2.0.0 Bye')
            return
        else:
            send('502 5.5.2 Command not recognised')

while True:
    conn, _ = server.accept()
    try:
        serve(conn)
    except Exception as error:
        print('session failed:', error, file=sys.stderr, flush=True)
    finally:
        conn.close()
)PY";

class TlsSmtpServer {
 public:
  static std::optional<std::string> unavailable_reason() {
    if (::access("/usr/bin/python3", X_OK) != 0) return std::string("python3 is not installed");
    if (::access("/usr/bin/openssl", X_OK) != 0) return std::string("openssl is not installed");
    return std::nullopt;
  }

  TlsSmtpServer(const std::string& user, const std::string& password) {
    const auto made =
        run_process("/usr/bin/openssl",
                    {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                     "-nodes", "-keyout", (dir_ / "key.pem").string(), "-out", ca_file(), "-days",
                     "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
    if (made.exit_code != 0) throw std::runtime_error("openssl req failed: " + made.err);
    std::filesystem::create_directories(dir_ / "mail");
    write_file(dir_ / "server.py", kTlsSmtpServer);

    std::vector<std::string> args = {"/usr/bin/python3",
                                     (dir_ / "server.py").string(),
                                     ca_file(),
                                     (dir_ / "key.pem").string(),
                                     user,
                                     password,
                                     (dir_ / "mail").string()};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const std::string log = (dir_ / "server.log").string();
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const int log_fd = ::open(log.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      if (log_fd >= 0) ::dup2(log_fd, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    if (log_fd >= 0) ::close(log_fd);
    // The first line is the port, printed once the socket listens.
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    ::close(out[0]);
    if (line.empty()) {
      stop();
      throw std::runtime_error("the TLS SMTP server did not start: " +
                               read_file(dir_ / "server.log"));
    }
    port_ = std::stoi(line);
  }
  ~TlsSmtpServer() { stop(); }
  TlsSmtpServer(const TlsSmtpServer&) = delete;
  TlsSmtpServer& operator=(const TlsSmtpServer&) = delete;

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  std::string ca_file() const { return (dir_ / "cert.pem").string(); }
  // The messages accepted so far, in order.
  std::vector<std::string> messages() const {
    std::vector<std::string> found;
    for (int n = 1; std::filesystem::exists(dir_ / "mail" / (std::to_string(n) + ".eml")); ++n)
      found.push_back(read_file(dir_ / "mail" / (std::to_string(n) + ".eml")));
    return found;
  }

 private:
  void stop() noexcept {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace arxiv_digest::testing
