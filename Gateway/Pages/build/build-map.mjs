// Builds ../map/world.json, the coastlines and borders the public page's route map is drawn from.
// Source: Natural Earth 1:110m (public domain) as shipped by the world-atlas package in TopoJSON.
// Run from this folder: `npm ci && npm run build`. Only needed when the source data or the format changes;
// the output is committed, so building or running the Gateway never needs npm.
import { readFileSync, writeFileSync } from 'node:fs';
import { merge, mesh } from 'topojson-client';

const topo = JSON.parse(readFileSync(new URL('./node_modules/world-atlas/countries-110m.json', import.meta.url)));
const version = JSON.parse(readFileSync(new URL('./node_modules/world-atlas/package.json', import.meta.url))).version;

// Hundredths of a degree are finer than 1:110m data itself (a few km), and integers keep the file small.
const SCALE = 100;

/** A line as [x0, y0, dx1, dy1, …] in hundredths of a degree; repeated points dropped. */
function encode(points) {
  const out = [];
  let px = null, py = null;
  for (const [lon, lat] of points) {
    const x = Math.round(lon * SCALE), y = Math.round(lat * SCALE);
    if (x === px && y === py) continue;
    if (px === null) out.push(x, y); else out.push(x - px, y - py);
    px = x; py = y;
  }
  return out;
}

/**
 * Rings and lines that cross the antimeridian jump from -180 to +180; unwrap them (add or subtract 360 from the
 * rest) so each is one continuous shape. The page draws the world three times side by side, so a shape that now
 * reaches past 180 shows where a tour across the Pacific needs it.
 */
function unwrap(points) {
  const out = [];
  let shift = 0, prev = null;
  for (const [lon, lat] of points) {
    if (prev !== null) {
      const d = lon + shift - prev;
      if (d > 180) shift -= 360; else if (d < -180) shift += 360;
    }
    prev = lon + shift;
    out.push([prev, lat]);
  }
  return out;
}

// Land is the union of the countries, so the shared borders between them disappear from the fill.
const land = merge(topo, topo.objects.countries.geometries);
const rings = land.coordinates.flatMap(polygon => polygon).map(unwrap).map(encode).filter(r => r.length >= 8);
// Borders between two countries only (a !== b): coastlines come from the land outline already.
const borders = mesh(topo, topo.objects.countries, (a, b) => a !== b).coordinates.map(unwrap).map(encode).filter(l => l.length >= 4);

const out = {
  source: `Natural Earth 1:110m countries, public domain, via world-atlas ${version}; built by Gateway/Pages/build/build-map.mjs`,
  scale: SCALE,
  land: rings,
  borders,
};
const target = new URL('../map/world.json', import.meta.url);
writeFileSync(target, JSON.stringify(out) + '\n');
console.log(`wrote ${target.pathname}: ${rings.length} land rings, ${borders.length} border lines, ${JSON.stringify(out).length} bytes`);
