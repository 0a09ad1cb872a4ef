package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
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
		if !*pwStdin {
			return errors.New("user add: pass the password on standard input with --password-stdin (never on the command line)")
		}
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("user add: read password: %w", err)
		}
		if err := webui.SaveUser(st, *data, *name, strings.TrimRight(line, "\r\n"), *role); err != nil {
			return err
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

// openStore opens the database in a data directory (storage.OpenDir) and
// says loudly what a repair on open lost.
func openStore(dir string) (*storage.Store, error) {
	st, err := storage.OpenDir(dir)
	if err == nil {
		warnRecovered(st)
	}
	return st, err
}
