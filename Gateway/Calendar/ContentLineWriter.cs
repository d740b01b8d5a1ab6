using System.Buffers;
using System.Text;

namespace TourPlanner.Gateway.Calendar;

/// <summary>
/// Writes iCalendar content lines as UTF-8 with CRLF ends, folded at 75 octets.
/// </summary>
/// <remarks>
/// Our own writer instead of Ical.Net's CalendarSerializer: we need byte-exact control
/// (fold points that never split a UTF-8 sequence or an escape, no value passing through
/// unsanitised, a fixed property order) so the same feed always gives the same bytes.
/// </remarks>
public sealed class ContentLineWriter
{
    /// <summary>RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.</summary>
    public const int MaxLineOctets = 75;

    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] FoldBreak = "\r\n "u8.ToArray();

    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    /// <summary>Writes a property whose value is already escaped or otherwise safe.</summary>
    public void Write(string name, string value) => WriteLine(string.Concat(name, ":", value));

    /// <summary>Writes a property with one parameter (e.g. TZID or VALUE); the parameter value is quoted when needed.</summary>
    public void Write(string name, string parameterName, string parameterValue, string value) =>
        WriteLine(string.Concat(name, ";", parameterName, "=", QuoteParameter(parameterValue), ":", value));

    /// <summary>Writes a property with several parameters (e.g. an ATTENDEE's CN, ROLE and PARTSTAT), each quoted when needed.</summary>
    public void Write(string name, IEnumerable<(string Name, string Value)> parameters, string value) =>
        WriteLine(string.Concat(name, string.Concat(parameters.Select(p => string.Concat(";", p.Name, "=", QuoteParameter(p.Value)))), ":", value));

    /// <summary>Writes a TEXT property, escaping the value.</summary>
    public void WriteText(string name, string value) => Write(name, IcalText.EscapeText(value));

    /// <summary>Writes BEGIN:component.</summary>
    public void Begin(string component) => Write("BEGIN", component);

    /// <summary>Writes END:component.</summary>
    public void End(string component) => Write("END", component);

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>Folds one unfolded content line into physical lines of at most 75 octets, each ending in CRLF.</summary>
    public static byte[] Fold(string contentLine)
    {
        var writer = new ContentLineWriter();
        writer.WriteLine(contentLine);
        return writer.ToArray();
    }

    private void WriteLine(string contentLine)
    {
        var bytes = Encoding.UTF8.GetBytes(contentLine);
        var lineOctets = 0;
        var i = 0;
        while (i < bytes.Length)
        {
            var unit = UnitLength(bytes, i);
            if (lineOctets + unit > MaxLineOctets)
            {
                _buffer.Write(FoldBreak);
                lineOctets = 1; // the leading space of the continuation line
            }

            _buffer.Write(bytes.AsSpan(i, unit));
            lineOctets += unit;
            i += unit;
        }

        _buffer.Write(Crlf);
    }

    // A fold point may fall only between whole UTF-8 sequences. We also keep a backslash
    // escape together: legal to split, but some hand-written readers unfold badly.
    private static int UnitLength(byte[] bytes, int i)
    {
        var b = bytes[i];
        var length = b switch
        {
            (byte)'\\' when i + 1 < bytes.Length && bytes[i + 1] < 0x80 => 2,
            < 0x80 => 1,
            >= 0xF0 => 4,
            >= 0xE0 => 3,
            >= 0xC0 => 2,
            _ => 1,
        };
        return Math.Min(length, bytes.Length - i);
    }

    private static string QuoteParameter(string value)
    {
        if (value.Any(c => c is '"' || char.IsControl(c)))
            throw new ArgumentException($"Parameter value '{value}' cannot be written safely.", nameof(value));

        return value.IndexOfAny([':', ';', ',']) >= 0 ? $"\"{value}\"" : value;
    }
}
