/* Lists (a forum's threads, the home page's forums) follow their channel
   by reloading themselves through the API a moment after an event, so that
   a burst of events costs one request, and reconciling the rows. */

import { getJSON, jitter } from './dom.js';

// listView loads url when one of types (null: any) arrives, or on resync,
// and hands the answer to render.
export function listView(url, render, types) {
  var timer = 0;
  var busy = false;
  var again = false;
  function load() {
    timer = 0;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    getJSON(url).then(function (data) {
      if (data) {
        render(data);
      }
    }, function () { /* the next event tries again */ }).then(function () {
      busy = false;
      if (again) {
        again = false;
        schedule();
      }
    });
  }
  function schedule() {
    if (!timer) {
      timer = setTimeout(load, jitter(300));
    }
  }
  return {
    event: function (type) {
      if (!types || types.indexOf(type) >= 0) {
        schedule();
      }
    },
    resync: schedule
  };
}

// reconcile makes the children of parent that match sel show items, in
// order. A row keeps its node (and so keyboard focus) while what it shows
// is unchanged: sig(item) is remembered in data-sig, and a row the server
// rendered is kept when it reads the same as the one build(item) makes.
export function reconcile(parent, sel, keyAttr, items, key, sig, build) {
  var old = {};
  Array.prototype.forEach.call(parent.querySelectorAll(sel), function (n) {
    old[n.getAttribute(keyAttr)] = n;
  });
  var nodes = items.map(function (it) {
    var k = String(key(it));
    var n = old[k];
    delete old[k];
    var s = sig(it);
    if (n && n.getAttribute('data-sig') === s) {
      return n;
    }
    var fresh = build(it);
    fresh.setAttribute(keyAttr, k);
    fresh.setAttribute('data-sig', s);
    if (n && !n.hasAttribute('data-sig') && sameLook(n, fresh)) {
      n.setAttribute('data-sig', s);
      return n;
    }
    if (n) {
      parent.replaceChild(fresh, n);
    }
    return fresh;
  });
  Object.keys(old).forEach(function (k) {
    parent.removeChild(old[k]);
  });
  nodes.forEach(function (n, i) {
    if (parent.children[i] !== n) {
      parent.insertBefore(n, parent.children[i] || null);
    }
  });
}

// sameLook compares two rows by their classes, text and times.
function sameLook(a, b) {
  function look(n) {
    var times = Array.prototype.map.call(n.querySelectorAll('time'), function (t) {
      return t.getAttribute('datetime');
    });
    return n.className + '|' + n.textContent.replace(/\s+/g, ' ').trim() + '|' + times.join(',');
  }
  return look(a) === look(b);
}
