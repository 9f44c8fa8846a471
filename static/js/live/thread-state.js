/* The thread itself on its page: title, pin and lock badges, the
   moderator's buttons and the reply form as a lock or deletion leaves it. */

import { el, icon, link, signedIn } from './dom.js';

export function threadState() {
  var head = document.querySelector('.page-head-text');
  var canModerate = !!document.querySelector('form.moderate');

  function badges() {
    var b = head && head.querySelector('.badges');
    if (!b && head) {
      b = el('p', 'badges');
      head.querySelector('h1').insertAdjacentElement('afterend', b);
    }
    return b;
  }

  function setBadge(label, symbol, on) {
    var b = badges();
    if (!b) {
      return;
    }
    var cur = Array.prototype.filter.call(b.querySelectorAll('.badge'), function (x) {
      return x.textContent.indexOf(label) >= 0;
    })[0];
    if (on && !cur) {
      var s = el('span', 'badge badge-muted');
      s.appendChild(icon(symbol));
      s.appendChild(document.createTextNode(' ' + label));
      b.appendChild(document.createTextNode(' '));
      b.appendChild(s);
    } else if (!on && cur) {
      cur.parentNode.removeChild(cur);
    }
    b.hidden = !b.querySelector('.badge');
  }

  // A moderator's Pin/Lock buttons say what a click would do next.
  function setModButton(on, yes, no, yesText, noText) {
    var b = document.querySelector('form.moderate button[value="' + yes + '"], form.moderate button[value="' + no + '"]');
    if (b) {
      b.value = on ? no : yes;
      b.textContent = on ? noText : yesText;
    }
  }

  // setNotice replaces the reply section's notice (nodes null: none).
  function setNotice(nodes) {
    var sec = document.querySelector('.reply-section');
    if (!sec) {
      return null;
    }
    Array.prototype.forEach.call(sec.querySelectorAll('.js-locked'), function (x) {
      x.parentNode.removeChild(x);
    });
    if (!nodes) {
      return null;
    }
    var p = el('p', 'notice js-locked');
    nodes.forEach(function (n) { p.appendChild(n); });
    return sec.insertBefore(p, sec.firstChild);
  }

  // hideEmptyForm hides the reply form unless it holds a draft: a draft
  // stays on screen, where it can still be copied.
  function hideEmptyForm() {
    var form = document.getElementById('reply');
    var composer = document.getElementById('composer');
    if (form && !(composer && composer.value.trim())) {
      form.hidden = true;
    }
  }

  function setPinned(on) {
    setBadge('Pinned', '📌', on);
    setModButton(on, 'pin', 'unpin', 'Pin', 'Unpin');
  }

  function setLocked(locked) {
    setBadge('Locked', '🔒', locked);
    setModButton(locked, 'lock', 'unlock', 'Lock', 'Unlock');
    if (canModerate) {
      return; // staff reply in locked threads too
    }
    var form = document.getElementById('reply');
    var login = document.querySelector('.reply-section a[href^="/login"]');
    if (locked) {
      hideEmptyForm();
      if (login && !login.closest('.js-locked')) {
        login.parentNode.hidden = true;
      }
      setNotice([icon('🔒'), document.createTextNode(' This thread is locked.')]);
      return;
    }
    setNotice(null);
    if (form) {
      form.hidden = false;
    } else if (login) {
      login.parentNode.hidden = false;
    } else if (signedIn) {
      // The page was rendered without a form: a reload brings it.
      var again = link(location.pathname + location.search + '#reply', '', 'Reload to reply');
      again.addEventListener('click', function (ev) {
        ev.preventDefault();
        location.reload();
      });
      setNotice([document.createTextNode('This thread is open again. '), again]);
    } else {
      setNotice([link('/login?next=' + encodeURIComponent(location.pathname + location.search), '', 'Log in to reply')]);
    }
  }

  function setTitle(title) {
    if (typeof title !== 'string' || !title) {
      return;
    }
    var h1 = head && head.querySelector('h1');
    if (h1) {
      h1.textContent = title;
    }
    var crumb = document.querySelector('.breadcrumb [aria-current="page"]');
    if (crumb) {
      crumb.textContent = title;
    }
    var parts = document.title.split(' · ');
    document.title = title + (parts.length > 1 ? ' · ' + parts[parts.length - 1] : '');
  }

  return {
    // updated applies a thread.updated payload: only what changed is in it.
    updated: function (d) {
      setTitle(d.title);
      if (typeof d.pinned === 'boolean') {
        setPinned(d.pinned);
      }
      if (typeof d.locked === 'boolean') {
        setLocked(d.locked);
      }
    },
    // apply shows a thread as the API returns it.
    apply: function (t) {
      setTitle(t.title);
      setPinned(!!t.pinned);
      setLocked(!!t.locked);
    },
    deleted: function () {
      hideEmptyForm();
      setNotice([document.createTextNode('This thread was deleted.')]);
    }
  };
}
