// Command tend is the appliance: one static binary that discovers every
// device on a client's LAN, judges it, and serves the results to onsite
// engineers and upstream to the provider's hub. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "hub" {
		// The hub's files hold site keys and password hashes, and buntdb's
		// compaction recreates its database with the process umask: every
		// file the hub and its admin commands make is owner-only. Set here
		// because the umask is process-wide: no library call and no
		// in-process test changes it.
		syscall.Umask(0o077)
	}
	ctx, stop := commandContext(os.Args[1:])
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "tend:", err)
		os.Exit(1)
	}
}

// commandContext is the context a command runs in: cancelled by SIGINT or
// SIGTERM, so that a command stops cleanly (its database closed, its lab
// down), except for replay, which keeps nothing to close (an in-memory
// store, its output written at the end) and so ends as the signal's default
// does. Catching a signal has the runtime start two threads (os/signal's
// watcher locks one, which starts the template thread): ~0.2 ms and ~24
// page faults of a replay's fixed ~14 ms.
func commandContext(args []string) (context.Context, context.CancelFunc) {
	if len(args) > 0 && args[0] == "replay" {
		return context.WithCancel(context.Background())
	}
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// env is what every subcommand gets: its arguments and the standard streams.
type env struct {
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// logger logs at level, or at debug when verbose.
func (e env) logger(level slog.Level, verbose bool) *slog.Logger {
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
}

type command struct {
	name, summary string
	run           func(ctx context.Context, e env) error
}

func commands() []command {
	return []command{
		{"serve", "run the appliance: sensors, web UI, upstream push", runServe},
		{"scan", "one-shot ARP sweep and SNMP identification of a LAN", runScan},
		{"lab", "build a virtual client LAN in network namespaces (up|down|status)", runLab},
		{"replay", "run the passive traffic watch over pcap/pcapng files", runReplay},
		{"user", "manage web UI users (add|list|delete)", runUser},
		{"hub", "the provider's collector and fleet view (hub | hub site add | hub token create)", runHub},
		{"token", "manage API tokens for scripts (create|list|delete)", runToken},
		{"catalog", "judge one product and version against the catalogs (judge)", runCatalog},
		{"db", "check or repair the database file (check|repair)", runDB},
		{"version", "print the version", runVersion},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "tend %s: proactive LAN inventory for IT providers\n\nUsage: tend <command> [flags]\n\nCommands:\n", version)
		for _, c := range commands() {
			fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
		}
		fmt.Fprintf(w, "\nRun 'tend <command> --help' for a command's flags.\n")
	}
	if len(args) == 0 {
		usage(stderr)
		return errors.New("no command given")
	}
	switch args[0] {
	case "-h", "--help", "help":
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, env{args: args[1:], stdin: stdin, stdout: stdout, stderr: stderr})
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func runVersion(_ context.Context, e env) error {
	fs := newFlagSet("version", "", e)
	if err := fs.Parse(e.args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "tend %s\n", version)
	return nil
}

// newFlagSet makes a subcommand's flag set whose usage names the command and
// its arguments and whose errors are returned, not fatal.
func newFlagSet(name, argsUsage string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: tend %s [flags] %s\n\nFlags:\n", name, argsUsage)
		fs.PrintDefaults()
	}
	return fs
}

// verb is the VERB of `tend CMD VERB [flags]`. Without one it prints usage
// and returns "" with the error want (nil for --help, whose usage goes to
// standard output).
func (e env) verb(usage, want string) (string, error) {
	if len(e.args) > 0 && !strings.HasPrefix(e.args[0], "-") {
		return e.args[0], nil
	}
	if len(e.args) > 0 && (e.args[0] == "-h" || e.args[0] == "--help" || e.args[0] == "-help") {
		fmt.Fprintln(e.stdout, usage)
		return "", nil
	}
	fmt.Fprintln(e.stderr, usage)
	return "", errors.New(want)
}
