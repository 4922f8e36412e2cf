"""The aiohttp edge: sockets and HTTP parse, guard, and map errors to codes; nothing else."""
