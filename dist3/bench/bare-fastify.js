/** The baseline for throughput: a bare Fastify hello world, JSON out. Prints its URL. */
import Fastify from 'fastify';
import { helpRequested } from './args.js';
helpRequested('The baseline for throughput: a bare Fastify hello world, JSON out. Prints its URL.');
const app = Fastify({ logger: false });
app.get('/*', async () => ({ hello: 'world' }));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(url);
//# sourceMappingURL=bare-fastify.js.map