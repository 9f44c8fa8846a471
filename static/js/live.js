/* Parley live: pages follow the event log over one websocket
   (GET /api/v1/ws; the protocol is in docs/api.md). Every page works without
   this; with it, new replies, edits, reactions, locks, typing, presence,
   list activity and the notification count arrive without a reload.

   A page declares what it follows on one element:
     data-live="thread:12"    channels, space-separated
     data-last-event="3456"   the event id the page was rendered at
   Events after that id are asked for ("since"), so nothing that happens while
   the page travels (or waits in the page cache) is lost; events the page
   already shows may come again and are recognised (posts by number; lists
   are reloaded, not patched).

   An ES module (loaded with the page's nonce; its imports inherit it): the
   pieces live in static/js/live/, small files without a build step. Browsers
   without modules skip it and keep the plain pages. */

import { num, signedIn } from './live/dom.js';
import { follow, start } from './live/socket.js';
import { threadView } from './live/thread.js';
import { forumView } from './live/forum.js';
import { homeView } from './live/home.js';
import { bellView } from './live/bell.js';
import './flag.js'; // the Flag link opens a dialog instead of the form page

var root = document.querySelector('[data-live]');
var bellCount = document.querySelector('.js-bell-count');
var raw = root && root.getAttribute('data-last-event');
var since = raw && /^\d+$/.test(raw) ? num(raw, null) : null;

if (window.WebSocket && window.fetch) {
  var view = null;
  if (!root) {
    // nothing on this page but, perhaps, the bell
  } else if (root.classList.contains('posts')) {
    view = threadView(root);
  } else if (root.classList.contains('thread-list') && !/[?&]cursor=/.test(location.search)) {
    view = forumView(root); // a cursor page is a snapshot deep in the list
  } else if (root.classList.contains('forum-list')) {
    view = homeView(root);
  }
  if (view) {
    root.getAttribute('data-live').split(/\s+/).forEach(function (ch) {
      if (ch) {
        follow(ch, since, view);
      }
    });
  }
  if (bellCount && signedIn) {
    follow('user', since, bellView(bellCount));
  }
  start(root);
}
