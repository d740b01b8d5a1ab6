using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TourPlanner.Gateway.Pages;

/// <summary>
/// The public page's route map: inline SVG drawn on the server from the stops' coordinates over Natural Earth's 1:110m
/// coastlines and borders (public domain; built into <c>Pages/map/world.json</c> by <c>Pages/build/build-map.mjs</c>).
/// No tile server and no request to anyone else: the page works offline from the binary. The map is projected
/// (Mercator) to the extent of the tour's stops with a margin, and the world's outlines are clipped to that extent and
/// thinned to what shows at the map's size, so a tour in one region carries only that region's coastline.
/// </summary>
public static class RouteMap
{
    /// <summary>Where a stop is on the route relative to today.</summary>
    public enum Position { Past, Current, Next, Upcoming }

    public sealed record Marker(string StopId, string City, double Latitude, double Longitude, Position Position, bool Selected);

    /// <summary>Width of the drawing in SVG units; the height follows the stops' extent.</summary>
    public const int Width = 600;
    private const double MaxLatitude = 82; // Mercator grows without bound towards the poles
    private const double Tolerance = 1.2;  // outline points closer than this (SVG units) to the last kept one are dropped
    private const int MaxNamedStops = 6;

    private sealed record Line(double[] Lon, double[] Lat, double MinLon, double MaxLon, double MinLat, double MaxLat);

    private static readonly (Line[] Land, Line[] Borders) World = Load();

    /// <summary>
    /// The SVG element for these markers (in route order), labelled by the element <paramref name="labelledBy"/>
    /// (the visible caption that is its text alternative); null when no stop has coordinates.
    /// </summary>
    public static string? Svg(IReadOnlyList<Marker> markers, string labelledBy, string? label)
    {
        if (markers.Count == 0) return null;
        var view = Viewport.Fit(markers);
        var svg = new StringBuilder(16 * 1024);
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg class="route-map" viewBox="0 0 {Width} {view.Height}" role="img" aria-labelledby="{labelledBy}" focusable="false" xmlns="http://www.w3.org/2000/svg">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect class="sea" width="{Width}" height="{view.Height}"/>""");
        svg.Append("""<path class="land" d=""").Append('"');
        foreach (var offset in new[] { -360.0, 0, 360 })
            foreach (var ring in World.Land)
                if (view.Overlaps(ring, offset)) AppendPath(svg, Clip.Polygon(view.Project(ring, offset), view.Bounds), closed: true);
        svg.Append("\"/>");
        svg.Append("""<path class="borders" d=""").Append('"');
        foreach (var offset in new[] { -360.0, 0, 360 })
            foreach (var line in World.Borders)
                if (view.Overlaps(line, offset))
                    foreach (var piece in Clip.Polyline(view.Project(line, offset), view.Bounds)) AppendPath(svg, piece, closed: false);
        svg.Append("\"/>");

        var points = markers.Select(m => view.Point(m.Longitude, m.Latitude)).ToList();
        if (points.Count > 1)
        {
            // The route in two strokes: the part already travelled, and the part still ahead.
            var split = markers.ToList().FindIndex(m => m.Position is Position.Current or Position.Next or Position.Upcoming);
            if (split < 0) split = markers.Count - 1;
            AppendRoute(svg, "route done", points.Take(split + 1).ToList());
            AppendRoute(svg, "route ahead", points.Skip(split).ToList());
        }
        for (var i = 0; i < markers.Count; i++)
        {
            var m = markers[i];
            var (x, y) = points[i];
            var classes = "marker " + m.Position.ToString().ToLowerInvariant() + (m.Selected ? " selected" : "");
            var r = m.Position is Position.Current or Position.Next ? 13 : m.Selected ? 11 : 9;
            svg.Append(CultureInfo.InvariantCulture, $"""<circle class="{classes}" cx="{x:0}" cy="{y:0}" r="{r}" data-stop="{PagesApi.Attr(m.StopId)}"/>""");
        }
        // A few stops each get their name; on a longer route only the current or next one does, or the names would collide.
        for (var i = 0; i < markers.Count; i++)
        {
            var m = markers[i];
            var highlighted = m.Position is Position.Current or Position.Next;
            if (!(highlighted && label is not null) && markers.Count > MaxNamedStops) continue;
            var (x, y) = points[i];
            var leftSide = x > Width * 0.6;
            svg.Append(CultureInfo.InvariantCulture,
                $"""<text class="map-label{(highlighted ? " highlighted" : "")}" x="{(leftSide ? x - 16 : x + 16):0}" y="{y + 7:0}" text-anchor="{(leftSide ? "end" : "start")}">{PagesApi.Attr(highlighted && label is not null ? label : m.City)}</text>""");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void AppendRoute(StringBuilder svg, string cls, List<(double X, double Y)> points)
    {
        if (points.Count < 2) return;
        svg.Append(CultureInfo.InvariantCulture, $"""<polyline class="{cls}" points="{string.Join(" ", points.Select(p => FormattableString.Invariant($"{p.X:0},{p.Y:0}")))}"/>""");
    }

    /// <summary>"M x y l dx dy …" in whole units, thinned: the drawing is 600 units wide, so finer detail is invisible.</summary>
    private static void AppendPath(StringBuilder svg, List<(double X, double Y)> points, bool closed)
    {
        if (points.Count < (closed ? 3 : 2)) return;
        var kept = new List<(int X, int Y)>(points.Count);
        (double X, double Y) last = points[0];
        kept.Add(((int)Math.Round(last.X), (int)Math.Round(last.Y)));
        for (var i = 1; i < points.Count; i++)
        {
            var p = points[i];
            var isLast = i == points.Count - 1;
            if (!isLast && Math.Abs(p.X - last.X) < Tolerance && Math.Abs(p.Y - last.Y) < Tolerance) continue;
            var q = ((int)Math.Round(p.X), (int)Math.Round(p.Y));
            if (q == kept[^1]) continue;
            kept.Add(q);
            last = p;
        }
        if (kept.Count < (closed ? 3 : 2)) return;
        svg.Append(CultureInfo.InvariantCulture, $"M{kept[0].X} {kept[0].Y}l");
        for (var i = 1; i < kept.Count; i++)
        {
            var dx = kept[i].X - kept[i - 1].X;
            var dy = kept[i].Y - kept[i - 1].Y;
            // SVG lets a minus sign stand for the separator.
            if (i > 1 && dx >= 0) svg.Append(' ');
            svg.Append(dx.ToString(CultureInfo.InvariantCulture));
            if (dy >= 0) svg.Append(' ');
            svg.Append(dy.ToString(CultureInfo.InvariantCulture));
        }
        if (closed) svg.Append('z');
    }

    /// <summary>The part of the world shown: longitudes unwrapped to one window (so a tour across the Pacific is one
    /// piece), Mercator y, and the scale from degrees to SVG units.</summary>
    private sealed record Viewport(double Anchor, double West, double East, double South, double North, double Scale, double Top, int Height)
    {
        public (double MinX, double MinY, double MaxX, double MaxY) Bounds => (-4, -4, Width + 4, Height + 4);

        public static Viewport Fit(IReadOnlyList<Marker> markers)
        {
            var west = WestEdge(markers.Select(m => m.Longitude).ToList());
            var lons = markers.Select(m => Unwrap(m.Longitude, west)).ToList();
            var lats = markers.Select(m => Math.Clamp(m.Latitude, -MaxLatitude, MaxLatitude)).ToList();
            double minLon = lons.Min(), maxLon = lons.Max(), minLat = lats.Min(), maxLat = lats.Max();

            // A margin of 15%, and at least about 2,000 km across, so a tour of one region still shows coasts and borders
            // to place it by (1:110m outlines have no detail to show at a smaller scale anyway).
            var lonPad = Math.Max((maxLon - minLon) * 0.15, Math.Max(0, (24 - (maxLon - minLon)) / 2));
            var latPad = Math.Max((maxLat - minLat) * 0.15, Math.Max(0, (14 - (maxLat - minLat)) / 2));
            minLon -= lonPad; maxLon += lonPad;
            minLat = Math.Max(minLat - latPad, -MaxLatitude); maxLat = Math.Min(maxLat + latPad, MaxLatitude);

            var x0 = Radians(minLon); var x1 = Radians(maxLon);
            var y0 = Mercator(minLat); var y1 = Mercator(maxLat);
            // Between landscape 2:1 and nearly square: a phone shows it whole without scrolling past it.
            var aspect = Math.Clamp((y1 - y0) / (x1 - x0), 0.5, 0.8);
            var height = (int)Math.Round(Width * aspect);
            // Grow the narrower side so the stops' extent sits centred with the same scale both ways.
            var scale = Math.Min(Width / (x1 - x0), height / (y1 - y0));
            var cx = (x0 + x1) / 2; var cy = (y0 + y1) / 2;
            var halfW = Width / scale / 2; var halfH = height / scale / 2;
            return new Viewport(west, Degrees(cx - halfW), Degrees(cx + halfW), InverseMercator(cy - halfH), InverseMercator(cy + halfH),
                scale, cy + halfH, height);
        }

        /// <summary>The west edge of the narrowest longitude window holding every stop: just east of the widest gap.</summary>
        private static double WestEdge(List<double> lons)
        {
            var sorted = lons.Select(l => ((l % 360) + 540) % 360 - 180).Order().ToList();
            var best = 360 - (sorted[^1] - sorted[0]); var west = sorted[0];
            for (var i = 1; i < sorted.Count; i++)
                if (sorted[i] - sorted[i - 1] > best) { best = sorted[i] - sorted[i - 1]; west = sorted[i]; }
            return west;
        }

        private static double Unwrap(double lon, double west)
        {
            var l = ((lon % 360) + 540) % 360 - 180;
            return l < west ? l + 360 : l;
        }

        public (double X, double Y) Point(double lon, double lat)
        {
            var l = Unwrap(lon, Anchor);
            return ((Radians(l) - Radians(West)) * Scale, (Top - Mercator(Math.Clamp(lat, -MaxLatitude, MaxLatitude))) * Scale);
        }

        public bool Overlaps(Line line, double offset) =>
            line.MaxLon + offset >= West && line.MinLon + offset <= East && line.MaxLat >= South && line.MinLat <= North;

        public List<(double X, double Y)> Project(Line line, double offset)
        {
            var points = new List<(double, double)>(line.Lon.Length);
            var left = Radians(West);
            for (var i = 0; i < line.Lon.Length; i++)
                points.Add(((Radians(line.Lon[i] + offset) - left) * Scale, (Top - Mercator(Math.Clamp(line.Lat[i], -MaxLatitude, MaxLatitude))) * Scale));
            return points;
        }
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
    private static double Degrees(double radians) => radians * 180 / Math.PI;
    private static double Mercator(double lat) => Math.Log(Math.Tan(Math.PI / 4 + Radians(lat) / 2));
    private static double InverseMercator(double y) => Degrees(2 * Math.Atan(Math.Exp(y)) - Math.PI / 2);

    /// <summary>Sutherland–Hodgman for the land (a convex window keeps fills right) and Liang–Barsky for border lines.</summary>
    private static class Clip
    {
        public static List<(double X, double Y)> Polygon(List<(double X, double Y)> ring, (double MinX, double MinY, double MaxX, double MaxY) b)
        {
            var output = ring;
            foreach (var edge in new Func<(double X, double Y), double>[] { p => p.X - b.MinX, p => b.MaxX - p.X, p => p.Y - b.MinY, p => b.MaxY - p.Y })
            {
                if (output.Count == 0) break;
                var input = output;
                output = new List<(double, double)>(input.Count);
                var prev = input[^1];
                foreach (var cur in input)
                {
                    double dc = edge(cur), dp = edge(prev);
                    if (dc >= 0)
                    {
                        if (dp < 0) output.Add(Lerp(prev, cur, dp / (dp - dc)));
                        output.Add(cur);
                    }
                    else if (dp >= 0) output.Add(Lerp(prev, cur, dp / (dp - dc)));
                    prev = cur;
                }
            }
            return output;
        }

        public static List<List<(double X, double Y)>> Polyline(List<(double X, double Y)> line, (double MinX, double MinY, double MaxX, double MaxY) b)
        {
            var pieces = new List<List<(double, double)>>();
            List<(double, double)>? current = null;
            for (var i = 1; i < line.Count; i++)
            {
                if (Segment(line[i - 1], line[i], b) is not { } s) { current = null; continue; }
                if (current is null || current[^1] != s.A) { current = [s.A]; pieces.Add(current); }
                current.Add(s.B);
            }
            return pieces;
        }

        private static ((double X, double Y) A, (double X, double Y) B)? Segment((double X, double Y) a, (double X, double Y) c,
            (double MinX, double MinY, double MaxX, double MaxY) b)
        {
            double t0 = 0, t1 = 1, dx = c.X - a.X, dy = c.Y - a.Y;
            foreach (var (p, q) in new[] { (-dx, a.X - b.MinX), (dx, b.MaxX - a.X), (-dy, a.Y - b.MinY), (dy, b.MaxY - a.Y) })
            {
                if (p == 0) { if (q < 0) return null; continue; }
                var r = q / p;
                if (p < 0) { if (r > t1) return null; if (r > t0) t0 = r; }
                else { if (r < t0) return null; if (r < t1) t1 = r; }
            }
            return (t0 == 0 ? a : (a.X + t0 * dx, a.Y + t0 * dy), t1 == 1 ? c : (a.X + t1 * dx, a.Y + t1 * dy));
        }

        private static (double X, double Y) Lerp((double X, double Y) a, (double X, double Y) b, double t) => (a.X + (b.X - a.X) * t, a.Y + (b.Y - a.Y) * t);
    }

    private static (Line[] Land, Line[] Borders) Load()
    {
        using var stream = typeof(RouteMap).Assembly.GetManifestResourceStream("map/world.json")
            ?? throw new InvalidOperationException("The map data (map/world.json) is not embedded in the Gateway assembly.");
        using var doc = JsonDocument.Parse(stream);
        var scale = doc.RootElement.GetProperty("scale").GetDouble();
        Line[] Read(string name) => [.. doc.RootElement.GetProperty(name).EnumerateArray().Select(a =>
        {
            var values = a.EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var n = values.Length / 2;
            var lon = new double[n]; var lat = new double[n];
            int x = 0, y = 0;
            for (var i = 0; i < n; i++)
            {
                x += values[2 * i]; y += values[2 * i + 1]; // the first pair is absolute, the rest are deltas
                lon[i] = x / scale; lat[i] = y / scale;
            }
            return new Line(lon, lat, lon.Min(), lon.Max(), lat.Min(), lat.Max());
        })];
        return (Read("land"), Read("borders"));
    }
}
