// The public page is complete without script; this only switches language and re-formats times with Intl.
import { start, onLanguageChange, formatInZone, formatDate } from './app.js';

function formatTimes() {
  for (const el of document.querySelectorAll('time[data-tz]')) el.textContent = formatInZone(el.dateTime, el.dataset.tz, el.dataset.abbr);
  for (const el of document.querySelectorAll('time[data-date]')) el.textContent = formatDate(el.dataset.date, el.dataset.year === '1');
}

await start();
onLanguageChange(formatTimes);
formatTimes();
