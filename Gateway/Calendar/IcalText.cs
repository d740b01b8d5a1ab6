using System.Text;

namespace TourPlanner.Gateway.Calendar;

/// <summary>Turns user-supplied strings into safe iCalendar property values.</summary>
public static class IcalText
{
    /// <summary>Escapes a TEXT value (RFC 5545 §3.3.11) and neutralises anything that could end the content line.</summary>
    public static string EscapeText(string value)
    {
        var sb = new StringBuilder(value.Length + 16);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case ';': sb.Append(@"\;"); break;
                case ',': sb.Append(@"\,"); break;
                case '\r':
                    // CRLF, lone CR and lone LF all become one escaped newline: a raw CR or LF
                    // would let a title start a property of its own (CRLF injection).
                    if (i + 1 < value.Length && value[i + 1] == '\n') i++;
                    sb.Append(@"\n");
                    break;
                case '\n':
                case '\u0085':
                case '\u2028':
                case '\u2029':
                    // NEL and the Unicode separators are line breaks to some readers (Python's
                    // str.splitlines among them), so they are written as an escaped newline too.
                    sb.Append(@"\n");
                    break;
                case '\t':
                    sb.Append(c);
                    break;
                default:
                    // RFC 5545 allows no other control characters in TEXT; dropping them keeps
                    // strict parsers (ical.js) from rejecting the whole feed over one stray byte.
                    if (char.IsControl(c)) break;
                    AppendScalar(sb, value, ref i);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Makes a URI safe as a property value: anything outside printable ASCII is percent-encoded, so no raw control character survives.</summary>
    public static string SanitizeUri(Uri uri)
    {
        var raw = uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString;
        var sb = new StringBuilder(raw.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in raw.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7F && rune.Value != '"')
            {
                sb.Append((char)rune.Value);
                continue;
            }

            var n = rune.EncodeToUtf8(utf8);
            for (var k = 0; k < n; k++) sb.Append('%').Append(utf8[k].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    // Lone surrogates cannot be encoded as UTF-8; they become U+FFFD here rather than
    // silently inside the encoder, so what we test is what we write.
    private static void AppendScalar(StringBuilder sb, string value, ref int i)
    {
        var c = value[i];
        if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
        {
            sb.Append(c).Append(value[i + 1]);
            i++;
        }
        else if (char.IsSurrogate(c))
        {
            sb.Append('\uFFFD');
        }
        else
        {
            sb.Append(c);
        }
    }
}
