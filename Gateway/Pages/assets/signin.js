// The mail pages: spending a sign-in link from a message, and the language switch of the server-rendered mail pages.
// A sign-in link carries its single-use token in the fragment; it is sent once, in a POST body, and the browser
// goes on to the person's page with the new standing link in that page's fragment.
const main = document.getElementById('app');

for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => {
    const url = new URL(location.href);
    url.searchParams.set('lang', button.dataset.lang);
    location.replace(url.toString());
  });
}

if (main?.dataset.page === 'signin') {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  // The spent token must not stay in the address bar or the history.
  history.replaceState(null, '', location.pathname + location.search);
  const fail = () => {
    main.querySelector('[data-signin="working"]').hidden = true;
    main.querySelector('[data-signin="failed"]').hidden = false;
    main.focus();
  };
  if (!token) {
    fail();
  } else {
    fetch(`/api/tours/${encodeURIComponent(main.dataset.tourId)}/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    }).then(async (response) => {
      if (!response.ok) return fail();
      const { url } = await response.json();
      location.replace(url);
    }, fail);
  }
}
