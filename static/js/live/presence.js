/* Who else is here: "2 people reading" near the title and "Anna is
   typing…" under the posts, both sent by the hub and never stored; and this
   reader's own typing, sent at most once per 3 s (the server's rate). */

import { el, num, signedIn } from './dom.js';
import { isLive, send } from './socket.js';

export function presenceView(posts, threadId) {
  var typists = {}; // user id -> {name, timer}

  // A live region is in the page before anything is announced in it.
  var typing = el('p', 'typing');
  typing.setAttribute('aria-live', 'polite');
  posts.parentNode.insertBefore(typing, posts.nextSibling);

  var reading = el('p', 'presence');
  reading.hidden = true;
  var head = document.querySelector('.page-head-text');
  if (head) {
    head.appendChild(reading);
  }

  function render() {
    var names = Object.keys(typists).map(function (id) { return typists[id].name; }).sort();
    var text = '';
    if (names.length === 1) {
      text = names[0] + ' is typing…';
    } else if (names.length === 2) {
      text = names[0] + ' and ' + names[1] + ' are typing…';
    } else if (names.length === 3) {
      text = names[0] + ', ' + names[1] + ' and ' + names[2] + ' are typing…';
    } else if (names.length > 3) {
      text = 'Several people are typing…';
    }
    if (typing.textContent !== text) {
      typing.textContent = text;
    }
  }

  function stop(userId) {
    var t = typists[userId];
    if (t) {
      clearTimeout(t.timer);
      delete typists[userId];
      render();
    }
  }

  var composer = document.getElementById('composer');
  var last = 0;
  if (composer && signedIn) {
    composer.addEventListener('input', function () {
      var now = Date.now();
      if (now - last < 3000 || !composer.value.trim() || !isLive('thread:' + threadId)) {
        return;
      }
      if (send({ type: 'typing', thread: threadId })) {
        last = now;
      }
    });
  }

  return {
    typing: function (m) {
      if (!m.user) {
        return;
      }
      var id = m.user_id || m.user;
      var t = typists[id] || (typists[id] = { name: m.user, timer: 0 });
      clearTimeout(t.timer);
      t.timer = setTimeout(function () { stop(id); }, 1000 * (m.expires_in || 6));
      render();
    },
    presence: function (m) {
      var n = num(m.count, 0);
      reading.hidden = n < 2; // one reader is only ever this one
      reading.textContent = n + ' people reading';
    },
    // stop ends someone's "typing…" at once (their post has arrived).
    stop: stop
  };
}
