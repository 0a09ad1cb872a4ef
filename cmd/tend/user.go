package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"tend/storage"
	"tend/webui"
)

func runUser(_ context.Context, e env) error {
	if len(e.args) == 0 || strings.HasPrefix(e.args[0], "-") {
		if len(e.args) > 0 && (e.args[0] == "-h" || e.args[0] == "--help" || e.args[0] == "-help") {
			fmt.Fprintln(e.stdout, "Usage: tend user add|list|delete --data DIR [--name N] [--password-stdin]")
			return nil
		}
		fmt.Fprintln(e.stderr, "Usage: tend user add|list|delete --data DIR [--name N] [--password-stdin]")
		return errors.New("user: say add, list or delete")
	}
	verb := e.args[0]
	fs := newFlagSet("user "+verb, "", e)
	data := fs.String("data", "", "the data directory of tend serve (required)")
	name := fs.String("name", "", "the user name")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	role := fs.String("role", "", "admin, technician or read-only (default: admin for a new user, unchanged for an existing one)")
	if err := fs.Parse(e.args[1:]); err != nil {
		return err
	}
	st, err := openStore(*data)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "add":
		if err := storage.ValidateUserName(*name); err != nil {
			return err
		}
		if !*pwStdin {
			return errors.New("user add: pass the password on standard input with --password-stdin (never on the command line)")
		}
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("user add: read password: %w", err)
		}
		hash, err := webui.HashPassword(strings.TrimRight(line, "\r\n"))
		if err != nil {
			return err
		}
		if old, err := st.User(*name); err == nil && *role == "" {
			*role = old.Role // a password reset keeps the role (and ends the user's sessions)
		}
		if err := st.PutUser(storage.User{Name: *name, PasswordHash: hash, Created: time.Now().UTC(), Role: *role}); err != nil {
			return err
		}
		// A user exists now: first-run setup is over.
		if err := st.DeleteSetupCode(); err != nil {
			return err
		}
		if err := os.Remove(filepath.Join(*data, webui.SetupCodeFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("user add: remove the first-run setup code: %w", err)
		}
		fmt.Fprintf(e.stdout, "user %s saved\n", *name)
		return nil
	case "list":
		users, err := st.Users()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tCREATED")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\n", u.Name, u.Created.Format(time.DateTime))
		}
		return tw.Flush()
	case "delete":
		if err := st.DeleteUser(*name); err != nil {
			return fmt.Errorf("user delete %s: %w", *name, err)
		}
		fmt.Fprintf(e.stdout, "user %s deleted\n", *name)
		return nil
	}
	return fmt.Errorf("user: unknown verb %q: say add, list or delete", verb)
}

// openStore opens the database in a data directory, making the directory
// (private to the service) on first use.
func openStore(dir string) (*storage.Store, error) {
	if dir == "" {
		return nil, errors.New("--data is required: the directory where tend keeps its database")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make data dir: %w", err)
	}
	st, err := storage.Open(filepath.Join(dir, "tend.db"), storage.Config{})
	if errors.Is(err, storage.ErrInUse) {
		return nil, fmt.Errorf("%s is in use by a running tend (serve or hub): add users in its web UI (Settings), "+
			"or stop it, run this, and start it again: %w", dir, err)
	}
	if err == nil {
		warnRecovered(st)
	}
	return st, err
}
