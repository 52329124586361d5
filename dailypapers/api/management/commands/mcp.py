"""`dailypapers mcp`: serve the MCP tools to an AI agent over stdio (the agent starts this
command), or over streamable HTTP with --http. Runs until the agent disconnects or Ctrl-C."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve MCP tools (search_papers, get_paper, daily_papers, trending_papers, similar_papers, "
        "new_papers_for, get_author, for_you) to AI agents over stdio, or streamable HTTP with --http."
    )
    example = "dailypapers mcp            (in an agent's MCP config: command dailypapers, args [mcp])"

    def add_arguments(self, parser):
        parser.add_argument("--http", action="store_true", help="Serve streamable HTTP instead of stdio.")
        parser.add_argument("--host", default="127.0.0.1", help="Address for --http (default 127.0.0.1).")
        parser.add_argument(
            "--port", type=int, default=8001, help="Port for --http (default 8001); the endpoint is /mcp."
        )

    def handle(self, *args, http: bool, host: str, port: int, **options):
        from dailypapers.api.mcp_server import build_server

        server = build_server()
        if http:
            self.stderr.write(f"MCP over streamable HTTP at http://{host}:{port}/mcp")
            server.run("streamable-http", host=host, port=port)
        else:
            server.run("stdio")
