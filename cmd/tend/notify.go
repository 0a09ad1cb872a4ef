package main

import (
	"flag"
	"log/slog"
	"strings"
	"time"

	"tend/notify"
	"tend/storage"
)

// notifyFlags are serve's outlet settings: --notify URL, repeatable.
type notifyFlags struct {
	urls       []string
	link       string
	every      time.Duration
	minBackoff time.Duration
	maxBackoff time.Duration
}

func (f *notifyFlags) register(fs *flag.FlagSet) {
	fs.Func("notify", "an outlet's service URL (repeatable): webhook+https://…, slack+https://…, teams+https://…, smtp://…, smtps://…, syslog+udp|tcp|tls://… (see the README)", func(s string) error {
		f.urls = append(f.urls, s)
		return nil
	})
	fs.StringVar(&f.link, "notify-link", "", "the web UI's URL as the provider reaches it (https://box.example/), for links in messages")
	fs.DurationVar(&f.every, "notify-interval", 10*time.Second, "how often the problem list is compared with what outlets were told")
	fs.DurationVar(&f.minBackoff, "notify-retry-min", 5*time.Second, "first wait before retrying an outlet that failed (doubles up to --notify-retry-max)")
	fs.DurationVar(&f.maxBackoff, "notify-retry-max", 5*time.Minute, "longest wait between retries of an outlet that failed")
}

// parse checks every --notify URL (notify.ParseURLs): serve refuses to start on a bad one.
func (f *notifyFlags) parse() ([]*notify.Endpoint, error) {
	return notify.ParseURLs(f.urls, notify.ParseOptions{Hostname: hostname()})
}

// notifier builds the dispatcher for the outlets, nil without any; run it
// with watchProblems.
func (f *notifyFlags) notifier(eps []*notify.Endpoint, st *storage.Store, site string, log *slog.Logger) *notify.Dispatcher {
	if len(eps) == 0 {
		return nil
	}
	link := f.link
	if link != "" {
		link = strings.TrimSuffix(link, "/") + "/actions"
	}
	d := notify.New(notify.Config{Site: site, Link: link, MinBackoff: f.minBackoff, MaxBackoff: f.maxBackoff}, storage.NotifyQueue{St: st}, eps, log)
	for _, e := range eps {
		log.Info("notification outlet", "outlet", e.Name, "id", e.ID)
	}
	return d
}
