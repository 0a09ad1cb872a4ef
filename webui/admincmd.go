package webui

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"tend/storage"
)

// UserCommand is `tend user add|list|delete` on a stopped box's store:
// add reads the password from the first line of password (never argv) and
// saves the user as SaveUser does; list and delete act on the stored users.
func UserCommand(st *storage.Store, dataDir, verb, name, role string, password io.Reader, w io.Writer) error {
	switch verb {
	case "add":
		if password == nil {
			return errors.New("user add: pass the password on standard input with --password-stdin (never on the command line)")
		}
		line, err := bufio.NewReader(password).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("user add: read password: %w", err)
		}
		if err := SaveUser(st, dataDir, name, strings.TrimRight(line, "\r\n"), role); err != nil {
			return err
		}
		fmt.Fprintf(w, "user %s saved\n", name)
		return nil
	case "list":
		users, err := st.Users()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tCREATED")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\n", u.Name, u.Created.Format(time.DateTime))
		}
		return tw.Flush()
	case "delete":
		if err := st.DeleteUser(name); err != nil {
			return fmt.Errorf("user delete %s: %w", name, err)
		}
		fmt.Fprintf(w, "user %s deleted\n", name)
		return nil
	}
	return fmt.Errorf("user: unknown verb %q: say add, list or delete", verb)
}

// TokenCommand is `tend token create|list|delete`: create prints the new
// API token once on stdout (only its hash is stored) and how to send it on
// stderr; delete revokes it.
func TokenCommand(st *storage.Store, verb, name, scope string, stdout, stderr io.Writer) error {
	switch verb {
	case "create":
		tok, hash := NewAPIToken()
		if err := st.PutToken(storage.APIToken{Hash: hash, Name: name, Created: time.Now().UTC(), Scope: scope}); err != nil {
			return err
		}
		fmt.Fprintln(stdout, tok)
		fmt.Fprintf(stderr, "token %s created; send it as \"Authorization: Bearer <token>\" with \"Accept: application/json\". It is shown only now.\n", name)
		return nil
	case "list":
		toks, err := st.Tokens()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tSCOPE\tCREATED")
		for _, t := range toks {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Role(), t.Created.Format(time.DateTime))
		}
		return tw.Flush()
	case "delete":
		if err := st.DeleteToken(name); err != nil {
			return fmt.Errorf("token delete %s: %w", name, err)
		}
		fmt.Fprintf(stdout, "token %s deleted\n", name)
		return nil
	}
	return fmt.Errorf("token: unknown verb %q: say create, list or delete", verb)
}
