"""A real MCP client session against `plankb mcp`, with the official MCP Python SDK (PyPI `mcp`).

Usage: python3 mcp_session.py PLANKB_BINARY KNOWLEDGE_BASE

Starts the server as a client application would (a subprocess over stdio), lists its tools and resource
templates, makes the calls an agent answering "哪些条款提到跨境电商？" would make, and a few bad ones, and
prints what came back as one JSON object, for PlankbCLITests/MCPServerTests to check. Exits 3 when the
`mcp` package is missing.
"""

import asyncio
import json
import sys

try:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
except ImportError:
    sys.exit(3)


def field(value, name):
    """A field of an SDK object by its snake_case name (SDK 2) or its camelCase one (SDK 1)."""
    if hasattr(value, name):
        return getattr(value, name)
    head, *rest = name.split("_")
    return getattr(value, head + "".join(part.capitalize() for part in rest))


def result_json(result):
    """A tool result as plain JSON: isError, the text blocks, the structured content."""
    return {
        "isError": bool(field(result, "is_error")),
        "text": "\n".join(block.text for block in result.content if getattr(block, "type", "") == "text"),
        "structured": field(result, "structured_content"),
    }


async def session(binary, database):
    parameters = StdioServerParameters(command=binary, args=["mcp", "--db", database])
    report = {}
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as client:
            initialized = await client.initialize()
            report["server"] = {"name": field(initialized, "server_info").name, "instructions": initialized.instructions}
            tools = await client.list_tools()
            report["tools"] = [
                {"name": tool.name, "description": tool.description, "inputSchema": field(tool, "input_schema")}
                for tool in tools.tools
            ]
            search = await client.call_tool("search", {"query": "跨境电商", "limit": 20})
            report["search"] = result_json(search)
            hits = (field(search, "structured_content") or {}).get("hits", [])
            paragraphs = [hit for hit in hits if hit["kind"] == "paragraph"]
            if paragraphs:
                first = paragraphs[0]
                read_node = await client.call_tool(
                    "read_node", {"document_key": first["documentKey"], "node_id": first["nodeID"], "context": 1}
                )
                report["read_node"] = {"asked": first, **result_json(read_node)}
            report["read_children"] = result_json(
                await client.call_tool(
                    "read_node",
                    {"document_key": "corpus/plans/shenyang-ftz-plan-2021.txt", "node_id": "chp_1", "include": "children"},
                )
            )
            report["records"] = result_json(
                await client.call_tool(
                    "records", {"document_key": "corpus/plans/shenyang-ftz-plan-2021.txt", "type": "achievement", "limit": 200}
                )
            )
            report["records_query"] = result_json(await client.call_tool("records", {"query": "跨境电商"}))
            report["documents"] = result_json(await client.call_tool("documents", {}))
            report["bad_query"] = result_json(await client.call_tool("search", {"query": "跨境电商 AND (金融"}))
            report["unknown_document"] = result_json(
                await client.call_tool("read_node", {"document_key": "no/such.txt", "node_id": "chp_1"})
            )
            report["unknown_node"] = result_json(
                await client.call_tool(
                    "read_node", {"document_key": "corpus/plans/shenyang-ftz-plan-2021.txt", "node_id": "chp_99"}
                )
            )
            report["unknown_type"] = result_json(await client.call_tool("search", {"query": "营商环境", "type": "targt"}))
            report["no_date"] = result_json(
                await client.call_tool("search", {"query": "营商环境", "published_after": "2020-13"})
            )
            report["misspelt_argument"] = result_json(
                await client.call_tool("search", {"query": "营商环境", "kinds": ["article"]})
            )
            # The server is still there after the errors.
            report["after_errors"] = result_json(await client.call_tool("search", {"query": "营商环境", "limit": 1}))
            templates = await client.list_resource_templates()
            report["resource_templates"] = [field(template, "uri_template") for template in field(templates, "resource_templates")]
            node = await client.read_resource("plankb://doc/corpus%2Fplans%2Fshenyang-ftz-plan-2021.txt#chp_1__sec_1")
            report["resource_node"] = [content.text for content in node.contents]
    return report


if __name__ == "__main__":
    print(json.dumps(asyncio.run(session(sys.argv[1], sys.argv[2])), ensure_ascii=False))
