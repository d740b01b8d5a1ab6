// The public page is complete without script: the server renders it in the visitor's language (?lang= or
// Accept-Language), dates included. This only makes the EN/ES buttons reload the page in the other language, and
// remembers the choice for the other pages.
const served = document.documentElement.lang === 'es' ? 'es' : 'en';
for (const button of document.querySelectorAll('.lang [data-lang]')) {
  button.addEventListener('click', () => {
    const chosen = button.dataset.lang === 'es' ? 'es' : 'en';
    try { localStorage.setItem('tourplanner.lang', chosen); } catch { /* private mode: the URL carries it */ }
    if (chosen === served) return;
    const url = new URL(location.href);
    url.searchParams.set('lang', chosen);
    location.assign(url);
  });
}
