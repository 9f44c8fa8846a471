/* The page's one websocket to GET /api/v1/ws (protocol in docs/api.md):
   subscribe with since, reconnect with backoff, dedupe replays, and hand
   events to the views that follow each channel. */

import { el, jitter } from './dom.js';

// subs maps a channel to {since: the last event id applied (null: from
// now), view, resync: reload the view once subscribed, live: subscribed}.
var conn = {
  ws: null,
  subs: {},
  attempt: 0,
  stopped: false,
  retryTimer: 0,
  hintTimer: 0,
  pingTimer: 0,
  lastHeard: 0,
  stateEl: null
};

// follow makes view receive channel's events after since (null: from
// when the connection subscribes). A view has event(type, data, msg) and
// may have resync(), typing(msg) and presence(msg).
export function follow(channel, since, view) {
  conn.subs[channel] = { since: since, view: view, resync: false, live: false };
}

// isLive reports whether channel is subscribed on an open connection.
export function isLive(channel) {
  var s = conn.subs[channel];
  return !!(s && s.live && conn.ws);
}

export function send(msg) {
  if (conn.ws && conn.ws.readyState === WebSocket.OPEN) {
    conn.ws.send(JSON.stringify(msg));
    return true;
  }
  return false;
}

// start opens the connection. stateEl gets data-live-state: "connecting",
// "live", "reconnecting" or "off" (for styles and tests).
export function start(stateEl) {
  conn.stateEl = stateEl;
  connect();
}

function setState(state) {
  if (conn.stateEl) {
    conn.stateEl.setAttribute('data-live-state', state);
  }
}

var hint = null; // "Reconnecting…", shown only when a drop lasts

function showHint(on) {
  if (on && !hint) {
    hint = el('div', 'live-status', 'Reconnecting…');
    hint.setAttribute('role', 'status');
    hint.hidden = true;
    document.body.appendChild(hint);
  }
  if (hint) {
    hint.hidden = !on;
  }
}

function subscribe(channel) {
  var s = conn.subs[channel];
  var msg = { type: 'subscribe', channel: channel };
  if (s.since !== null && s.since !== undefined) {
    msg.since = s.since;
  }
  send(msg);
}

function connect() {
  clearTimeout(conn.retryTimer);
  if (conn.stopped || conn.ws || !Object.keys(conn.subs).length) {
    return;
  }
  var ws;
  try {
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1/ws');
  } catch (e) {
    retry(0);
    return;
  }
  conn.ws = ws;
  if (!conn.attempt) {
    setState('connecting');
  }
  ws.onopen = function () {
    conn.lastHeard = Date.now();
    Object.keys(conn.subs).forEach(subscribe);
    keepAlive();
  };
  ws.onmessage = function (ev) {
    conn.lastHeard = Date.now();
    var m;
    try {
      m = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    if (m && typeof m.type === 'string') {
      handle(m);
    }
  };
  ws.onclose = function (ev) {
    dropped(ev.code);
  };
}

// detach forgets the current socket without hearing from it again.
function detach(code) {
  var ws = conn.ws;
  conn.ws = null;
  clearInterval(conn.pingTimer);
  Object.keys(conn.subs).forEach(function (ch) {
    conn.subs[ch].live = false;
  });
  if (ws) {
    ws.onopen = ws.onmessage = ws.onclose = null;
    try { ws.close(code); } catch (e) { /* closed already */ }
  }
}

// dropped decides what a closed connection means (close codes in
// docs/api.md) and schedules the next attempt.
function dropped(code) {
  detach(1000);
  if (conn.stopped) {
    return;
  }
  if (code === 4001) {
    // Signed out (here or in another tab): the page shows someone who is
    // gone, so it stops following.
    conn.stopped = true;
    showHint(false);
    setState('off');
    return;
  }
  setState('reconnecting');
  if (code === 4008) {
    // Too slow: rather than replaying a long backlog, start from now and
    // reload each view's state once.
    Object.keys(conn.subs).forEach(function (ch) {
      conn.subs[ch].since = null;
      conn.subs[ch].resync = true;
    });
  }
  if (!conn.hintTimer) {
    conn.hintTimer = setTimeout(function () {
      showHint(true);
    }, 2000);
  }
  // 1001 is a server restart: every client comes back at once, so the
  // first attempt is spread over a few seconds.
  retry(code === 1001 ? 500 + Math.random() * 2500 : 0);
}

// retry waits with exponential backoff and jitter: 0.5–1 s, 1–2 s, 2–4 s
// … up to 15–30 s.
function retry(minDelay) {
  clearTimeout(conn.retryTimer);
  var base = Math.min(30000, 1000 * Math.pow(2, conn.attempt));
  var delay = Math.max(minDelay, base / 2 + Math.random() * base / 2);
  conn.attempt = Math.min(conn.attempt + 1, 10);
  conn.retryTimer = setTimeout(connect, delay);
}

// connected runs when the server confirms a subscription: the connection
// works, so the backoff and the hint are reset.
function connected() {
  conn.attempt = 0;
  clearTimeout(conn.hintTimer);
  conn.hintTimer = 0;
  showHint(false);
  setState('live');
}

// keepAlive notices a connection that died without a close frame (a laptop
// waking up, a proxy dropping it): the browser answers the server's pings
// unseen, so after 30 s of silence the page pings, and 70 s of silence
// means the connection is gone.
function keepAlive() {
  clearInterval(conn.pingTimer);
  conn.pingTimer = setInterval(function () {
    var quiet = Date.now() - conn.lastHeard;
    if (quiet > 70000) {
      dropped(1006);
    } else if (quiet > 30000) {
      send({ type: 'ping' });
    }
  }, 10000);
}

function handle(m) {
  var s = m.channel ? conn.subs[m.channel] : null;
  switch (m.type) {
  case 'subscribed':
  case 'resync':
    if (!s) {
      return;
    }
    s.since = typeof m.id === 'number' ? m.id : s.since;
    s.live = true;
    connected();
    if ((m.type === 'resync' || s.resync) && s.view.resync) {
      s.view.resync();
    }
    s.resync = false;
    return;
  case 'event':
    if (!s || typeof m.id !== 'number') {
      return;
    }
    if (s.since !== null && m.id <= s.since) {
      return; // applied already (a replay after a reconnect)
    }
    s.since = m.id;
    s.view.event(m.event, m.data || {}, m);
    return;
  case 'presence':
  case 'typing':
    s = conn.subs['thread:' + m.thread];
    if (s && s.view[m.type]) {
      s.view[m.type](m);
    }
    return;
  case 'error':
    if (!s) {
      return;
    }
    if (m.code === 'not_found' || m.code === 'unauthenticated' || m.code === 'bad_channel') {
      delete conn.subs[m.channel]; // gone, or not this viewer's to follow
    } else if (m.code === 'unavailable') {
      setTimeout(function () {
        if (conn.subs[m.channel] && !conn.subs[m.channel].live) {
          subscribe(m.channel);
        }
      }, jitter(2000));
    }
    return;
  }
}

window.addEventListener('online', function () {
  if (!conn.ws && !conn.stopped) {
    conn.attempt = 0;
    connect();
  }
});

// A page kept in the back/forward cache holds no connection; one brought
// back picks up where it left off (since is kept).
window.addEventListener('pagehide', function () {
  conn.stopped = true;
  clearTimeout(conn.retryTimer);
  clearTimeout(conn.hintTimer);
  conn.hintTimer = 0;
  detach(1000);
  setState('off');
});

window.addEventListener('pageshow', function (ev) {
  if (ev.persisted) {
    conn.stopped = false;
    conn.attempt = 0;
    connect();
  }
});
