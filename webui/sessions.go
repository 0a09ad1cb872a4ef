package webui

import (
	"errors"
	"fmt"
	"time"

	"tend/storage"
	"tend/webkit"
)

// boxSessions is the box's storage as the shell's session store.
type boxSessions struct{ st *storage.Store }

func toStorage(s webkit.Session) storage.Session {
	return storage.Session{TokenHash: s.TokenHash, User: s.User, CSRF: s.CSRF, Created: s.Created,
		Expires: s.Expires, LastUsed: s.LastUsed, Client: s.Client}
}

func fromStorage(s storage.Session) webkit.Session {
	return webkit.Session{TokenHash: s.TokenHash, User: s.User, CSRF: s.CSRF, Created: s.Created,
		Expires: s.Expires, LastUsed: s.LastUsed, Client: s.Client}
}

// noSession says storage's ErrNotFound in the shell's words.
func noSession(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%w: %w", webkit.ErrNoSession, err)
	}
	return err
}

func (b boxSessions) PutSession(s webkit.Session) error { return b.st.PutSession(toStorage(s)) }

func (b boxSessions) Session(tokenHash string) (webkit.Session, error) {
	s, err := b.st.Session(tokenHash)
	return fromStorage(s), noSession(err)
}

func (b boxSessions) DeleteSession(tokenHash string) error {
	return noSession(b.st.DeleteSession(tokenHash))
}

func (b boxSessions) TouchSession(tokenHash string, at time.Time) error {
	return noSession(b.st.TouchSession(tokenHash, at))
}
