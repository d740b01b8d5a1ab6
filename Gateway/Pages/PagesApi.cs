namespace TourPlanner.Gateway.Pages;

/// <summary>The pages people open from their links.</summary>
public static class PagesApi
{
    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app) => app;
}
