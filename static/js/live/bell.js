/* The notification bell in the header (layout.html): every
   notification.created and notification.read event on the user channel
   carries the reader's unread count. */

import { getJSON } from './dom.js';

export function bellView(count) {
  var bell = count.closest('.js-bell');
  function show(unread) {
    if (typeof unread !== 'number') {
      return;
    }
    var n = Math.max(0, unread);
    count.textContent = String(n);
    count.setAttribute('data-unread', String(n));
    count.hidden = n === 0;
    if (bell) {
      bell.setAttribute('aria-label', 'Notifications, ' + n + ' unread');
    }
  }
  return {
    event: function (type, d) {
      show(d.unread);
    },
    resync: function () {
      getJSON('/api/v1/notifications?limit=1').then(function (l) {
        show(l && l.unread);
      }, function () { /* the next notification brings the count */ });
    }
  };
}
