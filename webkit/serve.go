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
//
// HTTP/1.1 only: the shipped binary is built without net/http's bundled
// HTTP/2 (build tag nethttpomithttp2), yet ServeTLS would still offer "h2"
// in ALPN, and a browser that takes it gets a connection that dies at the
// first request.
func ServeTLS(ctx context.Context, ln net.Listener, h http.Handler, cert tls.Certificate, log *slog.Logger) error {
	var protos http.Protocols
	protos.SetHTTP1(true)
	srv := &http.Server{
		Protocols:         &protos,
		Handler:           h,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
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
