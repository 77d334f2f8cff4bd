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
	"database/sql"
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
	_ "modernc.org/sqlite"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data", "data/ferretdb", "directory for the SQLite files")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	watchStdin := flag.Bool("exit-on-stdin-eof", false, "stop when standard input closes (parent died)")
	syncMode := flag.String("sync", "normal", "SQLite synchronous mode: normal or full")
	flag.Parse()

	if *syncMode != "normal" && *syncMode != "full" {
		fmt.Fprintf(os.Stderr, "newsroom-store: bad -sync %q: normal or full\n", *syncMode)
		os.Exit(2)
	}
	if err := run(*listen, *dataDir, *logLevel, *syncMode, *watchStdin); err != nil {
		fmt.Fprintln(os.Stderr, "newsroom-store:", err)
		os.Exit(1)
	}
}

func run(listen, dataDir, logLevel, syncMode string, watchStdin bool) error {
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
		// WAL with synchronous=normal (the default here) syncs at checkpoints, not at every
		// commit: an acknowledged write survives a crash of this process, and an OS crash or
		// power cut can lose the last moments — MongoDB's own default (w:1 without j, journal
		// flushed every 100 ms) makes the same trade. -sync full fsyncs every commit.
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(" + syncMode + ")",
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
	go indexIDs(ctx, abs, logger)

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

// indexIDs gives every collection table an index on the exact expression FerretDB v1's
// SQLite backend filters `{_id: value}` by (`_ferretdb_sjson->'$._id'`). FerretDB's own
// unique _id index is on `_ferretdb_sjson->"_id"`, which SQLite cannot match to that
// expression, so without this every point lookup, update and delete by _id scans the table.
// The index lives only in SQLite (FerretDB's metadata does not list it) and goes with its
// table when a collection is dropped; new tables are picked up within a second.
func indexIDs(ctx context.Context, dir string, logger *slog.Logger) {
	dbs := map[string]*sql.DB{}
	defer func() {
		for _, db := range dbs {
			db.Close()
		}
	}()
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			db, ok := dbs[file]
			if !ok {
				var err error
				db, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)")
				if err != nil {
					logger.Warn("cannot open for _id indexing", "file", file, "err", err)
					continue
				}
				db.SetMaxOpenConns(1)
				dbs[file] = db
			}
			if err := indexTables(ctx, db); err != nil {
				logger.Debug("_id indexing", "file", file, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func indexTables(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || '_newsroom_id')
		  AND EXISTS (SELECT 1 FROM sqlite_master t WHERE t.type = 'table' AND t.name = c.table_name)`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_newsroom_id", t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
