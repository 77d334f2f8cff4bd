// Command newsroom-store runs FerretDB v1 with its SQLite backend as the
// newsroom's embedded MongoDB-compatible store.
//
// It is our own main module (not FerretDB's cmd/ferretdb, whose binary needs a
// generated version file), so it builds straight from the Go module proxy.
// It exits when its standard input closes, so it never outlives the Node
// process that started it, even when that process is killed with SIGKILL.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data", "data/ferretdb", "directory for the SQLite files")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	watchStdin := flag.Bool("exit-on-stdin-eof", false, "stop when standard input closes (parent died)")
	flag.Parse()

	if err := run(*listen, *dataDir, *logLevel, *watchStdin); err != nil {
		fmt.Fprintln(os.Stderr, "newsroom-store:", err)
		os.Exit(1)
	}
}

func run(listen, dataDir, logLevel string, watchStdin bool) error {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return fmt.Errorf("cannot create data directory %s: %w", abs, err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level %q: %w", logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	go announceWhenListening(ctx, listen)

	return f.Run(ctx)
}

// announceWhenListening prints one "ready" line once the port accepts
// connections, so the parent does not have to guess.
func announceWhenListening(ctx context.Context, addr string) {
	for ctx.Err() == nil {
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			conn.Close()
			fmt.Printf("ready mongodb://%s/\n", addr)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
