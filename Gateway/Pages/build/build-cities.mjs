// Builds ../../Cities/cities.json, the built-in list of the world's larger cities the pages search when no geocoder
// is configured: name, region, country code, coordinates and IANA zone. Source: the city-timezones package (MIT),
// itself from Natural Earth's populated places (public domain). Run from this folder: `npm ci && npm run build`.
// The output is committed, so building or running the Gateway never needs npm.
import { readFileSync, writeFileSync } from 'node:fs';

const source = JSON.parse(readFileSync(new URL('./node_modules/city-timezones/data/cityMap.json', import.meta.url)));
const version = JSON.parse(readFileSync(new URL('./node_modules/city-timezones/package.json', import.meta.url))).version;

// Zones are repeated thousands of times: store each once and refer to it by index.
const zones = [];
const zoneIndex = new Map();
const seen = new Set();
const cities = [];
// Largest first, so a prefix search that stops early keeps the places people mean.
for (const c of [...source].sort((a, b) => (b.pop || 0) - (a.pop || 0) || a.city.localeCompare(b.city))) {
  if (!c.timezone || !Number.isFinite(c.lat) || !Number.isFinite(c.lng)) continue;
  const name = String(c.city ?? '').trim();
  const region = String(c.province ?? '').trim();
  const key = `${name}|${region}|${c.iso2}`;
  if (!name || seen.has(key)) continue;
  seen.add(key);
  if (!zoneIndex.has(c.timezone)) { zoneIndex.set(c.timezone, zones.length); zones.push(c.timezone); }
  // Four decimals are about 11 m: finer than a city needs, and short.
  const round = x => Math.round(x * 1e4) / 1e4;
  cities.push([name, region, String(c.iso2 ?? '').toUpperCase(), round(c.lat), round(c.lng), zoneIndex.get(c.timezone), Math.round(c.pop || 0)]);
}

const out = {
  source: `city-timezones ${version} (MIT), from Natural Earth populated places (public domain)`,
  columns: ['name', 'region', 'country', 'latitude', 'longitude', 'zone', 'population'],
  zones,
  cities,
};
writeFileSync(new URL('../../Cities/cities.json', import.meta.url), JSON.stringify(out).replace(/\],\[/g, '],\n['));
console.log(`${cities.length} cities in ${zones.length} zones`);
