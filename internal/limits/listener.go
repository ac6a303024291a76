package limits

import (
	"net"
	"sync"
)

// MaxHeaderBytes bounds a request's header block. Cognito's requests carry
// a SigV4 Authorization header and a handful of others, a few KiB at most;
// net/http's default of 1 MiB would let each connection pin far more.
const MaxHeaderBytes = 64 << 10

// Listener returns a listener that holds at most max connections open at
// once: Accept waits while max are open, so a flood of connections queues
// in the kernel's backlog instead of exhausting the process's file
// descriptors and memory. max <= 0 means no bound.
func Listener(ln net.Listener, max int) net.Listener {
	if max <= 0 {
		return ln
	}
	return &boundedListener{Listener: ln, slots: make(chan struct{}, max), done: make(chan struct{})}
}

type boundedListener struct {
	net.Listener
	slots     chan struct{}
	done      chan struct{} // closed by Close, so a waiting Accept returns
	closeOnce sync.Once
}

func (l *boundedListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &boundedConn{Conn: c, release: func() { <-l.slots }}, nil
}

func (l *boundedListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// boundedConn gives its slot back once, however many times it is closed.
type boundedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *boundedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
