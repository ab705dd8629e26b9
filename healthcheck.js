// The image's HEALTHCHECK: GET /health/live on this container's own port, over HTTPS when
// SSL_ENABLED says so (the service's own certificate, so it is not verified here).
const tls = ['true', '1', 'yes', 'on'].includes(String(process.env.SSL_ENABLED || '').toLowerCase());
const port = Number(process.env.PORT || 9009);
require(tls ? 'node:https' : 'node:http')
  .get({ host: '127.0.0.1', port, path: '/health/live', rejectUnauthorized: false, timeout: 4000 }, (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  })
  .on('timeout', () => process.exit(1))
  .on('error', () => process.exit(1));
