using System.Text;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

public sealed class ContentLineWriterTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static TheoryData<string> Samples() => new()
    {
        new string('a', 200),
        new string('é', 100),
        new string('€', 100),
        string.Concat(Enumerable.Repeat("😀", 60)),
        string.Concat(Enumerable.Repeat("a😀é€", 40)),
        string.Concat(Enumerable.Repeat(@"\n\;\,\\", 40)),
        "👩🏽‍🚀👨‍👩‍👧‍👦" + new string('x', 70) + "👩🏽‍🚀",
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Folds_at_75_octets_without_splitting_a_UTF8_sequence(string value)
    {
        // Every alignment of the multi-byte characters against the fold point.
        for (var prefix = 0; prefix < 8; prefix++)
        {
            var line = "SUMMARY:" + new string('p', prefix) + value;
            var bytes = ContentLineWriter.Fold(line);

            var physical = SplitLines(bytes);
            Assert.All(physical, l => Assert.True(l.Length <= ContentLineWriter.MaxLineOctets, $"line of {l.Length} octets"));
            Assert.All(physical, l => StrictUtf8.GetString(l));
            Assert.All(physical.Skip(1), l => Assert.Equal((byte)' ', l[0]));
            Assert.Equal(line, Unfold(bytes));
        }
    }

    [Fact]
    public void Short_lines_are_not_folded_and_end_in_CRLF()
    {
        Assert.Equal("VERSION:2.0\r\n"u8.ToArray(), ContentLineWriter.Fold("VERSION:2.0"));
        var exactly75 = "X:" + new string('a', 73);
        Assert.Equal(Encoding.UTF8.GetBytes(exactly75 + "\r\n"), ContentLineWriter.Fold(exactly75));
    }

    [Fact]
    public void Never_separates_a_backslash_from_the_character_it_escapes()
    {
        for (var prefix = 0; prefix < 4; prefix++)
        {
            var bytes = ContentLineWriter.Fold("D:" + new string('p', prefix) + string.Concat(Enumerable.Repeat(@"\\\n", 50)));
            Assert.All(SplitLines(bytes), l => Assert.False(EndsWithOddBackslashes(l), Encoding.UTF8.GetString(l)));
        }
    }

    [Fact]
    public void Quotes_parameter_values_with_separators()
    {
        var writer = new ContentLineWriter();
        writer.Write("X-TEST", "TZID", "Weird;Zone", "v");
        writer.Write("X-TEST", "TZID", "America/New_York", "v");

        Assert.Equal("X-TEST;TZID=\"Weird;Zone\":v\r\nX-TEST;TZID=America/New_York:v\r\n", Encoding.UTF8.GetString(writer.ToArray()));
        Assert.Throws<ArgumentException>(() => writer.Write("X", "P", "a\"b", "v"));
    }

    internal static List<byte[]> SplitLines(byte[] bytes)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                Assert.True(i > 0 && bytes[i - 1] == '\r', $"bare LF at byte {i}");
                lines.Add(bytes[start..(i - 1)]);
                start = i + 1;
            }
            else if (bytes[i] == '\r')
            {
                Assert.True(i + 1 < bytes.Length && bytes[i + 1] == '\n', $"bare CR at byte {i}");
            }
        }

        Assert.Equal(bytes.Length, start);
        return lines;
    }

    private static string Unfold(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes).Replace("\r\n ", "", StringComparison.Ordinal).TrimEnd('\r', '\n');

    private static bool EndsWithOddBackslashes(byte[] line)
    {
        var n = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--) n++;
        return n % 2 == 1;
    }
}
