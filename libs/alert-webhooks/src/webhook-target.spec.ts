import { displayWebhookUrl, webhookTarget } from './webhook-target.js';

describe('webhook targets', () => {
  it('sends URL credentials as Basic authorization, never in the URL', () => {
    expect(webhookTarget('https://hook%40user:p%3Ass@hooks.example.com/in?x=1')).toEqual({
      href: 'https://hooks.example.com/in?x=1',
      authorization: `Basic ${Buffer.from('hook@user:p:ss').toString('base64')}`,
    });
    expect(webhookTarget('http://127.0.0.1:8080/alerts')).toEqual({
      href: 'http://127.0.0.1:8080/alerts',
      authorization: undefined,
    });
  });

  it('masks the password and the query in what logs show', () => {
    expect(displayWebhookUrl('https://u:secret@hooks.example.com/in?token=abc')).toBe(
      'https://u:***@hooks.example.com/in?***',
    );
    expect(displayWebhookUrl('http://127.0.0.1:8080/alerts')).toBe('http://127.0.0.1:8080/alerts');
  });
});
