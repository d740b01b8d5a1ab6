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

// Sign-up forms of on-request stops work as plain form posts; with script they send the same request to the API and
// answer in place. The words come from the page (rendered in its language); problems come back in it too.
for (const form of document.querySelectorAll('form.signup-form')) {
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const alertBox = form.querySelector('[role="alert"]');
    const email = form.elements.email;
    const button = form.querySelector('button[type="submit"]');
    alertBox.replaceChildren();
    email.removeAttribute('aria-invalid');
    button.disabled = true;
    const say = (text) => {
      const p = document.createElement('p');
      p.className = 'alert';
      p.id = `signup-msg-${form.dataset.stopId}`;
      p.textContent = text;
      alertBox.replaceChildren(p);
      email.setAttribute('aria-invalid', 'true');
      email.setAttribute('aria-errormessage', p.id);
      email.focus();
    };
    try {
      const response = await fetch(`/api/tours/${encodeURIComponent(form.dataset.tourId)}/stops/${encodeURIComponent(form.dataset.stopId)}/signups`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept-Language': served },
        body: JSON.stringify({ email: email.value.trim(), shareWithHost: form.elements.shareWithHost.checked, language: served }),
      });
      if (response.ok) {
        const answer = form.parentElement.querySelector('.signup-answer');
        const p = document.createElement('p');
        p.className = 'notice ok';
        p.textContent = form.dataset.sent;
        answer.replaceChildren(p);
        form.remove();
        return;
      }
      const problem = await response.json().catch(() => null);
      say(problem?.errors?.email?.[0] ?? problem?.detail ?? form.dataset.failed);
    } catch {
      say(form.dataset.failed);
    } finally {
      button.disabled = false;
    }
  });
}
