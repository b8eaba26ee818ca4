#include "orrery/platforms/gdb_session.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <iostream>
#include <utility>

#include "orrery/platforms/gdb_rsp.hpp"
#include "orrery/platforms/gdb_server.hpp"

namespace orrery::gdb {
namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

int listen_on(const Endpoint& e) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw Error(fmt::format("-gdb: cannot create a socket: {}", std::strerror(errno)));
  Fd guard(fd);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(e.port));
  const std::string host = e.host == "localhost" ? "127.0.0.1" : e.host;
  if (host.empty()) {
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
  } else if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    throw Error(fmt::format("-gdb tcp:{}:{}: not an IPv4 address", e.host, e.port));
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 1) != 0)
    throw Error(fmt::format("-gdb tcp:{}:{}: cannot listen: {}", e.host, e.port, std::strerror(errno)));
  return guard.release();
}

void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the debugger went away; the next read sees it
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

class Session {
 public:
  Session(Machine& machine, int listener, const volatile std::sig_atomic_t* stop_flag)
      : machine_(machine), listener_(listener), stop_flag_(stop_flag), server_(machine, debug_) {
    machine_.set_debug(&debug_);
  }
  ~Session() { machine_.set_debug(nullptr); }

  bool connected() const { return client_.get() >= 0; }
  void accept_client() {
    const int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    client_.reset(fd);
    decoder_ = RspDecoder{};
    no_ack_ = false;
    std::cerr << "orrery: gdb connected\n";
  }

  // Between slices: a connecting debugger or its Ctrl-C stops the machine.
  void poll_running() {
    pollfd p{connected() ? client_.get() : listener_.get(), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return;
    if (!connected()) {
      accept_client();
      debug_.note_stop(0, DebugControl::StopKind::Interrupt);
      return;
    }
    if (!read_some()) return;
    while (auto e = decoder_.next())
      if (e->kind == RspEvent::Kind::Interrupt) debug_.note_stop(0, DebugControl::StopKind::Interrupt);
  }

  // The machine stopped for the debugger: report, then serve until resumed.
  // false: the debugger killed the run.
  bool stopped() {
    const auto stop = debug_.take_stop();
    const std::string reply = server_.stop_reply(stop.value_or(DebugControl::Stop{}));
    while (!connected()) {
      pollfd p{listener_.get(), POLLIN, 0};
      if (stop_flag_ && *stop_flag_) return true;  // the run ends at the next slice
      if (::poll(&p, 1, 100) > 0) accept_client();
    }
    if (resume_pending_) send_packet(reply);
    resume_pending_ = false;
    for (;;) {
      if (stop_flag_ && *stop_flag_) return true;
      pollfd p{client_.get(), POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      if (!read_some()) return detach();
      while (auto e = decoder_.next()) {
        if (e->kind == RspEvent::Kind::BadChecksum) {
          if (!no_ack_) send_all(client_.get(), "-");
          continue;
        }
        if (e->kind != RspEvent::Kind::Packet) continue;
        if (!no_ack_) send_all(client_.get(), "+");
        const auto answer = server_.handle(e->payload);
        if (answer) send_packet(*answer);
        if (e->payload == "QStartNoAckMode") no_ack_ = true;
        switch (server_.take_action()) {
          case Server::Action::None: break;
          case Server::Action::Resume: resume_pending_ = true; return true;
          case Server::Action::Detach: return detach();
          case Server::Action::Kill: return false;
        }
      }
    }
  }

  // The run is over: a waiting debugger learns the exit status.
  void finished(const RunOutcome& out) {
    if (connected() && resume_pending_) send_packet(fmt::format("W{:02x}", out.exit_code & 0xff));
  }

 private:
  bool read_some() {
    std::uint8_t buf[4096];
    const ssize_t n = ::recv(client_.get(), buf, sizeof buf, 0);
    if (n <= 0) {
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
      client_.reset();
      return false;
    }
    decoder_.feed(std::span(buf, static_cast<std::size_t>(n)));
    return true;
  }
  void send_packet(std::string_view payload) { send_all(client_.get(), frame(payload)); }
  // The debugger left: its breakpoints go, the machine runs on.
  bool detach() {
    client_.reset();
    debug_ = DebugControl{};
    resume_pending_ = false;
    std::cerr << "orrery: gdb detached\n";
    return true;
  }

  Machine& machine_;
  Fd listener_;
  Fd client_;
  const volatile std::sig_atomic_t* stop_flag_;
  DebugControl debug_;
  Server server_;
  RspDecoder decoder_;
  bool no_ack_ = false;
  bool resume_pending_ = false;
};

}  // namespace

Endpoint parse_endpoint(std::string_view text) {
  const auto bad = [&] {
    return Error(fmt::format("-gdb {}: expected tcp::PORT or tcp:HOST:PORT", text));
  };
  if (!text.starts_with("tcp:")) throw bad();
  const std::string_view rest = text.substr(4);
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) throw bad();
  Endpoint e;
  e.host = std::string(rest.substr(0, colon));
  const std::string_view port = rest.substr(colon + 1);
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), e.port);
  if (ec != std::errc{} || end != port.data() + port.size() || e.port == 0 || e.port > 65535) throw bad();
  return e;
}

RunOutcome run_with_gdb(Machine& machine, const Endpoint& endpoint, bool wait, std::uint64_t max_insns,
                        const volatile std::sig_atomic_t* stop_flag, const std::function<void()>& between_slices) {
  Session session(machine, listen_on(endpoint), stop_flag);
  std::cerr << fmt::format("orrery: gdb stub on tcp:{}:{}{}\n", endpoint.host, endpoint.port,
                           wait ? ", waiting for the debugger (-S)" : "");
  machine.start_run(max_insns);
  RunOutcome out;
  bool stop_now = wait;
  for (;;) {
    if (stop_now) {
      stop_now = false;
      if (!session.stopped()) {
        out.reason = StopReason::GuestExit;
        out.exit_code = 0;
        std::cerr << "orrery: killed by the debugger\n";
        return out;
      }
    }
    if (machine.run_slice(out)) {
      if (between_slices) between_slices();
      session.poll_running();
      continue;
    }
    if (out.reason == StopReason::DebugStop) {
      stop_now = true;
      continue;
    }
    session.finished(out);
    return out;
  }
}

}  // namespace orrery::gdb
