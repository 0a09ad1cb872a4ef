package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"tend/storage"
	"tend/webui"
)

const tokenUsage = "Usage: tend token create|list|delete --data DIR [--name N] [--scope read-only|technician|admin]"

// runToken manages API tokens for scripts: `create` prints the token once
// (only its hash is stored), `delete` revokes it.
func runToken(_ context.Context, e env) error {
	if len(e.args) == 0 || strings.HasPrefix(e.args[0], "-") {
		if len(e.args) > 0 && (e.args[0] == "-h" || e.args[0] == "--help" || e.args[0] == "-help") {
			fmt.Fprintln(e.stdout, tokenUsage)
			return nil
		}
		fmt.Fprintln(e.stderr, tokenUsage)
		return errors.New("token: say create, list or delete")
	}
	verb := e.args[0]
	fs := newFlagSet("token "+verb, "", e)
	data := fs.String("data", "", "the data directory of tend serve (required)")
	name := fs.String("name", "", "whose script the token is for (letters, digits, '.', '_', '-')")
	scope := fs.String("scope", storage.RoleReadOnly, "what the token may do: read-only, technician or admin")
	if err := fs.Parse(e.args[1:]); err != nil {
		return err
	}
	st, err := openStore(*data)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "create":
		tok, hash := webui.NewAPIToken()
		if err := st.PutToken(storage.APIToken{Hash: hash, Name: *name, Created: time.Now().UTC(), Scope: *scope}); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, tok)
		fmt.Fprintf(e.stderr, "token %s created; send it as \"Authorization: Bearer <token>\" with \"Accept: application/json\". It is shown only now.\n", *name)
		return nil
	case "list":
		toks, err := st.Tokens()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tSCOPE\tCREATED")
		for _, t := range toks {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Role(), t.Created.Format(time.DateTime))
		}
		return tw.Flush()
	case "delete":
		if err := st.DeleteToken(*name); err != nil {
			return fmt.Errorf("token delete %s: %w", *name, err)
		}
		fmt.Fprintf(e.stdout, "token %s deleted\n", *name)
		return nil
	}
	return fmt.Errorf("token: unknown verb %q: say create, list or delete", verb)
}
