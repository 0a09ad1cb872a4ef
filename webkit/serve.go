package webkit

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ServeTLS serves h over TLS on ln with cert until ctx ends, then shuts the
// server down gracefully (five seconds for requests in flight). serve's UI
// and the hub both use it: one http.Server with timeouts owns each socket.
func ServeTLS(ctx context.Context, ln net.Listener, h http.Handler, cert tls.Certificate, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	// HTTP/1.1 only: tend is built without net/http's HTTP/2 (make build's
	// nethttpomithttp2), yet the default would still offer h2 in ALPN, and
	// a browser that takes it gets a closed connection.
	srv.Protocols = new(http.Protocols)
	srv.Protocols.SetHTTP1(true)
	served := make(chan error, 1)
	go func() { served <- srv.ServeTLS(ln, "", "") }()
	select {
	case err := <-served:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err) // never ErrServerClosed: Shutdown was not called
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if e := <-served; !errors.Is(e, http.ErrServerClosed) {
		err = errors.Join(err, e)
	}
	return err
}
