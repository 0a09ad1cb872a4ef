package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"tend/findings"
	"tend/inventory"
	"tend/notify"
	"tend/storage"
	"tend/webui"
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

// parse checks every --notify URL, so serve refuses to start on a bad one
// with a message naming the parameter; secrets never appear in it.
func (f *notifyFlags) parse() ([]*notify.Endpoint, error) {
	var eps []*notify.Endpoint
	seen := map[string]bool{}
	for i, u := range f.urls {
		e, err := notify.ParseURL(u, notify.ParseOptions{Hostname: hostname()})
		if err != nil {
			return nil, fmt.Errorf("--notify (outlet %d): %w", i+1, err)
		}
		if seen[e.ID] {
			return nil, fmt.Errorf("--notify (outlet %d): %s is given twice", i+1, e.Name)
		}
		seen[e.ID] = true
		eps = append(eps, e)
	}
	return eps, nil
}

// notifier compares the site's active problems with what the outlets were
// told, every interval, and runs the dispatcher's deliveries.
type notifier struct {
	d     *notify.Dispatcher
	st    *storage.Store
	every time.Duration
	log   *slog.Logger
}

func (f *notifyFlags) notifier(eps []*notify.Endpoint, st *storage.Store, site string, log *slog.Logger) *notifier {
	if len(eps) == 0 {
		return nil
	}
	link := f.link
	if link != "" {
		link = strings.TrimSuffix(link, "/") + "/actions"
	}
	d := notify.New(notify.Config{Site: site, Link: link, MinBackoff: f.minBackoff, MaxBackoff: f.maxBackoff}, storeQueue{st}, eps, log)
	for _, e := range eps {
		log.Info("notification outlet", "outlet", e.Name, "id", e.ID)
	}
	return &notifier{d: d, st: st, every: max(f.every, time.Second), log: log.With("component", "notify")}
}

// outlets is what the UI's outlets page reads; nil without outlets (never
// a typed nil in the interface).
func (n *notifier) outlets() webui.Outlets {
	if n == nil {
		return nil
	}
	return n.d
}

// Run compares and delivers until ctx ends; cancellation is not an error.
func (n *notifier) Run(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		n.d.Run(ctx)
	}()
	t := time.NewTicker(n.every)
	defer t.Stop()
	for {
		if err := n.once(time.Now()); err != nil {
			n.log.Error("compare problems for notification", "err", err)
		}
		select {
		case <-ctx.Done():
			<-done
			return nil
		case <-t.C:
		}
	}
}

// once hands the dispatcher the active problems as of now.
func (n *notifier) once(now time.Time) error {
	fs, err := n.st.Findings()
	if err != nil {
		return err
	}
	devs, err := n.st.Devices()
	if err != nil {
		return err
	}
	return n.d.Update(notifyProblems(findings.ActiveProblems(findings.Problems(fs, devs, now)), devs))
}

// notifyProblems flattens findings' problems into notify's vocabulary,
// naming each device.
func notifyProblems(ps []findings.Problem, devs []inventory.Device) []notify.Problem {
	byKey := make(map[string]*inventory.Device, len(devs))
	for i := range devs {
		byKey[devs[i].MAC.String()] = &devs[i]
	}
	out := make([]notify.Problem, 0, len(ps))
	for _, p := range ps {
		np := notify.Problem{Key: p.Key, Rule: p.Rule, Severity: p.Severity, Title: p.Title, Action: p.Action, Evidence: p.Evidence, Devices: []notify.Device{}}
		for _, k := range p.Devices {
			nd := notify.Device{Key: k}
			if d := byKey[k]; d != nil {
				nd.Name = d.Name()
				if d.IP.IsValid() {
					nd.IP = d.IP.String()
				}
			} else if ip, ok := strings.CutPrefix(k, "ip:"); ok {
				nd.IP = ip
			}
			np.Devices = append(np.Devices, nd)
		}
		out = append(out, np)
	}
	return out
}

// storeQueue is notify.Queue over storage's notification outboxes.
type storeQueue struct{ st *storage.Store }

func (q storeQueue) Publish(state []byte, items map[string][][]byte) error {
	return q.st.NotifyPublish(state, items)
}

func (q storeQueue) State() ([]byte, error) { return q.st.NotifyState() }

func (q storeQueue) Head(outlet string) (uint64, []byte, bool, error) {
	it, err := q.st.NotifyHead(outlet)
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil, false, nil
	}
	if err != nil {
		return 0, nil, false, err
	}
	return it.Seq, it.Body, true, nil
}

func (q storeQueue) Items(outlet string, limit int) ([]uint64, [][]byte, error) {
	its, err := q.st.NotifyItems(outlet, limit)
	if err != nil {
		return nil, nil, err
	}
	seqs, bodies := make([]uint64, len(its)), make([][]byte, len(its))
	for i, it := range its {
		seqs[i], bodies[i] = it.Seq, it.Body
	}
	return seqs, bodies, nil
}

func (q storeQueue) Delete(outlet string, seq uint64) error { return q.st.NotifyDelete(outlet, seq) }

func (q storeQueue) Len(outlet string) (int, error) { return q.st.NotifyLen(outlet) }

func (q storeQueue) Ticket(outlet, problem string) (string, bool, error) {
	return q.st.NotifyTicket(outlet, problem)
}

func (q storeQueue) PutTicket(outlet, problem, id string) error {
	return q.st.PutNotifyTicket(outlet, problem, id)
}
