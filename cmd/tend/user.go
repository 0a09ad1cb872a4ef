package main

import (
	"context"
	"io"

	"tend/storage"
	"tend/webui"
)

// runUser manages the web UI's users (webui.UserCommand).
func runUser(_ context.Context, e env) error {
	verb, err := e.verb("Usage: tend user add|list|delete --data DIR [--name N] [--password-stdin]", "user: say add, list or delete")
	if verb == "" {
		return err
	}
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
	var password io.Reader // nil: add refuses
	if *pwStdin {
		password = e.stdin
	}
	return webui.UserCommand(st, *data, verb, *name, *role, password, e.stdout)
}

// runToken manages API tokens for scripts (webui.TokenCommand).
func runToken(_ context.Context, e env) error {
	verb, err := e.verb("Usage: tend token create|list|delete --data DIR [--name N] [--scope read-only|technician|admin]", "token: say create, list or delete")
	if verb == "" {
		return err
	}
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
	return webui.TokenCommand(st, verb, *name, *scope, e.stdout, e.stderr)
}
