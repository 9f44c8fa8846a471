package realtime

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/gorilla/websocket"
)

// readLoop is the connection's one long-lived goroutine. It only reads
// frames and meters them; each message is handled on a short-lived
// goroutine it waits for, so that the deep stacks of JSON decoding and
// database reads are not kept by thousands of idle connections.
func (c *Conn) readLoop() {
	defer c.shutdown()
	o := c.h.opt
	c.ws.SetReadLimit(o.MaxMessageBytes) // gorilla answers a bigger message with close 1009
	_ = c.ws.SetReadDeadline(time.Now().Add(o.PongWait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(o.PongWait)) })
	c.tokens, c.refill = float64(o.Burst), time.Now()
	done := make(chan struct{})
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		if c.closing() {
			continue // draining: the client's close frame or closeGrace ends the read
		}
		_ = c.ws.SetReadDeadline(time.Now().Add(o.PongWait))
		if !c.allow() {
			if c.dropped > o.FloodLimit {
				c.closeWith(websocket.ClosePolicyViolation, "too many messages")
			}
			continue
		}
		if typ != websocket.TextMessage {
			c.sendError(codeBadMessage, "send JSON text messages", "")
			continue
		}
		go func() {
			c.handle(data)
			done <- struct{}{}
		}()
		<-done
	}
}

// allow meters client messages with a token bucket. Messages over the rate
// are dropped with one rate_limited error a second; a client that keeps
// flooding is closed by the caller.
func (c *Conn) allow() bool {
	now := time.Now()
	o := c.h.opt
	c.tokens = min(float64(o.Burst), c.tokens+now.Sub(c.refill).Seconds()*o.MessagesPerSec)
	c.refill = now
	if c.tokens >= 1 {
		c.tokens--
		c.dropped = 0
		return true
	}
	c.dropped++
	if now.Sub(c.warned) >= time.Second {
		c.warned = now
		c.sendError(codeRateLimited, "too many messages: at most "+strconv.FormatFloat(o.MessagesPerSec, 'f', -1, 64)+" a second", "")
	}
	return false
}

// handle answers one client message.
func (c *Conn) handle(data []byte) {
	var m clientMsg
	if err := json.Unmarshal(data, &m); err != nil {
		c.sendError(codeBadMessage, "not a JSON object: "+err.Error(), "")
		return
	}
	switch m.Type {
	case "subscribe":
		c.h.subscribe(c, m)
	case "unsubscribe":
		ch, ok := parseChannel(m.Channel)
		if !ok {
			c.sendError(codeBadChannel, "unknown channel", m.Channel)
			return
		}
		key := ch.key
		if ch.kind == kindUser {
			key = userKey(c.viewer.Load().ID)
		}
		if !c.h.unsubscribe(c, key) {
			c.sendError(codeNotSub, "not subscribed", m.Channel)
			return
		}
		c.send(encode(unsubscribedMsg{Type: "unsubscribed", Channel: ch.name}))
	case "typing":
		if m.Thread <= 0 {
			c.sendError(codeBadMessage, "typing needs a thread id", "")
			return
		}
		key := "thread:" + strconv.FormatInt(m.Thread, 10)
		if code := c.h.typing(c, m.Thread, key); code != "" {
			c.sendError(code, "typing needs a signed-in subscriber of the thread", key)
		}
	case "ping":
		c.send([]byte(pongMsg))
	default:
		c.sendError(codeBadMessage, `type is "subscribe", "unsubscribe", "typing" or "ping"`, "")
	}
}
