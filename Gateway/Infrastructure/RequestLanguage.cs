using Microsoft.Net.Http.Headers;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>
/// The language a request's words are written in: <c>?lang=en|es</c> when given (a page or a shared link says so),
/// otherwise the most preferred of English and Spanish in <c>Accept-Language</c> (q-values honoured, <c>q=0</c> means
/// "not this one", <c>es-MX</c> counts as Spanish), otherwise English.
/// </summary>
public static class RequestLanguage
{
    public const string Default = "en";

    public static string Of(HttpRequest request)
    {
        var asked = request.Query["lang"].ToString();
        if (Catalogue.Languages.Contains(asked)) return asked;
        return FromAcceptLanguage(request.Headers.AcceptLanguage.ToString());
    }

    /// <summary>The best of <see cref="Catalogue.Languages"/> for an <c>Accept-Language</c> value; <see cref="Default"/> when none is acceptable.</summary>
    public static string FromAcceptLanguage(string header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > 1000) return Default;
        if (!StringWithQualityHeaderValue.TryParseList(header.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToList(), out var ranges))
            return Default;
        string? best = null;
        var bestQuality = 0.0;
        foreach (var range in ranges)
        {
            var quality = range.Quality ?? 1.0;
            var language = Primary(range.Value.Value);
            // Earlier ranges win ties: a client lists its preferences in order.
            if (language is not null && quality > bestQuality) (best, bestQuality) = (language, quality);
        }
        return best ?? Default;
    }

    private static string? Primary(string? range)
    {
        if (string.IsNullOrEmpty(range)) return null;
        var dash = range.IndexOf('-');
        var primary = (dash < 0 ? range : range[..dash]).ToLowerInvariant();
        return Catalogue.Languages.Contains(primary) ? primary : null;
    }
}
