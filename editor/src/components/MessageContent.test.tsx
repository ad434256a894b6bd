// @vitest-environment jsdom
// The agent transcript shows what each message carries: a picture as a
// thumbnail, a voice message with its transcript and a note, a file as a
// download, a place with its coordinates, a channel event as a line; media
// only the channel has are fetched with the agent's token when asked.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError, type Message } from '../api';
import { I18nContext, translate, type Lang } from '../i18n';
import { MessageList } from './MessageList';

function message(id: string, overrides: Partial<Message>): Message {
  return { id, conversationId: 'c1', inboxId: 'wx', visitorId: 'o1', direction: 'in', author: 'visitor', text: '', at: '2025-01-01T00:00:00.000Z', ...overrides };
}

function show(messages: Message[], lang: Lang = 'en', loadMedia?: (messageId: string, index: number) => Promise<Blob>) {
  const i18n = { lang, setLang: () => undefined, t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params) };
  render(
    <I18nContext value={i18n}>
      <MessageList perspective="agent" messages={messages} label="Transcript" emptyText="Empty" testId="transcript" loadMedia={loadMedia} />
    </I18nContext>,
  );
  return screen.getAllByTestId('message');
}

afterEach(cleanup);

describe('MessageList: content types, agent side', () => {
  it('an image is a thumbnail linking to the picture, without its placeholder text', () => {
    const [item] = show([message('i1', { type: 'image', text: '[图片 Image]', media: [{ kind: 'image', url: 'http://mmbiz.qpic.cn/a/0', providerMediaId: 'm1' }] })]);
    expect(item.dataset.type).toBe('image');
    const link = within(item).getByRole('link', { name: 'Image from the visitor' });
    expect(link.getAttribute('href')).toBe('http://mmbiz.qpic.cn/a/0');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    const img = within(link).getByRole('img');
    expect(img.getAttribute('src')).toBe('http://mmbiz.qpic.cn/a/0');
    expect(img.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(item.textContent).not.toContain('[图片 Image]');
  });

  it('never links a javascript: URL', () => {
    const [item] = show([message('i2', { type: 'image', text: '[图片 Image]', media: [{ kind: 'image', url: 'javascript:alert(1)' }] })]);
    expect(within(item).queryByRole('link')).toBeNull();
    expect(item.textContent).toContain('[图片 Image]');
  });

  it('a voice message shows its transcript with a note saying who transcribed it', () => {
    const [heard, silent] = show([
      message('v1', { type: 'voice', text: '查一下订单', transcript: 'provider', media: [{ kind: 'voice', providerMediaId: 'vm' }] }),
      message('v2', { type: 'voice', text: '[语音 Voice]', media: [{ kind: 'voice', providerMediaId: 'vm' }] }),
    ], 'zh');
    expect(within(heard).getByTestId('message-voice').textContent).toContain('语音消息 · 渠道转写');
    expect(heard.textContent).toContain('查一下订单');
    expect(within(silent).getByTestId('message-voice').textContent).toContain('语音消息 · 无转写');
    expect(silent.textContent).not.toContain('[语音 Voice]');
  });

  it('several pictures sent at once are each a thumbnail', () => {
    const media = [{ kind: 'image' as const, id: 'a', url: '/api/v1/webchat/web/media/a' }, { kind: 'image' as const, id: 'b', url: '/api/v1/webchat/web/media/b' }];
    const [item] = show([message('i3', { type: 'image', text: '[图片 Image] [图片 Image]', media })]);
    expect(within(item).getAllByRole('img').map((img) => img.getAttribute('src'))).toEqual(media.map((m) => m.url));
    expect(item.querySelector('.msg-bubble')).toBeNull();
  });

  it('a file is a download link with its name and size', () => {
    const [item] = show([message('f1', { type: 'file', text: '[文件 File]', media: [{ kind: 'file', id: 'f1', url: '/api/v1/webchat/web/media/f1', name: 'invoice.pdf', size: 52_000 }] })]);
    const link = within(item).getByRole('link', { name: 'Download invoice.pdf (51 KB)' });
    expect(link.getAttribute('href')).toBe('/api/v1/webchat/web/media/f1');
    expect(link.getAttribute('download')).toBe('invoice.pdf');
  });

  it('a location shows its label and coordinates', () => {
    const [item] = show([message('l1', { type: 'location', text: '广州市海珠区', location: { latitude: 23.134521, longitude: 113.358803, label: '广州市海珠区' } })]);
    expect(within(item).getByTestId('message-location').textContent).toContain('广州市海珠区 · 23.134521, 113.358803');
  });

  it('a channel event is a centred line, not a bubble', () => {
    const [follow, click] = show([
      message('e1', { type: 'event', text: '[关注 Followed the account]', event: { name: 'subscribe' } }),
      message('e2', { type: 'event', text: '[菜单 Menu] V1001', event: { name: 'click', key: 'V1001' } }),
    ]);
    expect(follow.className).toContain('msg-center');
    expect(within(follow).getByTestId('message-event').textContent).toBe('The visitor followed the account');
    expect(within(click).getByTestId('message-event').textContent).toBe('The visitor tapped the menu item V1001');
    expect(follow.querySelector('.msg-bubble')).toBeNull();
  });

  it('a shared link is a link with its title and description', () => {
    const [item] = show([message('r1', { type: 'rich', text: '公众平台\nhttps://mp.weixin.qq.com', link: { url: 'https://mp.weixin.qq.com', title: '公众平台', description: '官网' } })]);
    expect(within(item).getByRole('link', { name: '公众平台' }).getAttribute('href')).toBe('https://mp.weixin.qq.com/');
    expect(item.textContent).toContain('官网');
  });

  it('a text message is unchanged', () => {
    const [item] = show([message('t1', { text: '运费多少' })]);
    expect(item.querySelector('.msg-bubble')?.textContent).toBe('运费多少');
    expect(item.dataset.type).toBe('text');
  });
});

describe('MessageList: media only the channel has', () => {
  beforeAll(() => {
    // jsdom has no object URLs.
    URL.createObjectURL = vi.fn(() => 'blob:http://localhost/recording');
    URL.revokeObjectURL = vi.fn();
  });

  it('a voice note with a media id is fetched when the agent asks, then plays', async () => {
    const loadMedia = vi.fn(async () => new Blob(['#!AMR\n'], { type: 'audio/amr' }));
    const [item] = show([message('wechat:wx:1', { type: 'voice', text: '[语音 Voice]', media: [{ kind: 'voice', providerMediaId: 'vm', mime: 'audio/amr' }] })], 'zh', loadMedia);
    fireEvent.click(within(item).getByRole('button', { name: '从渠道获取' }));
    const audio = await within(item).findByTestId('channel-media');
    expect(audio.tagName).toBe('AUDIO');
    expect(audio.getAttribute('src')).toBe('blob:http://localhost/recording');
    expect(loadMedia).toHaveBeenCalledWith('wechat:wx:1', 0);
    expect(within(item).getByRole('link', { name: '保存' }).getAttribute('href')).toBe('blob:http://localhost/recording');
  });

  it('says why when the channel no longer has it', async () => {
    const loadMedia = async () => { throw new ApiError(404, 'the channel no longer has this media (it keeps media three days)'); };
    const [item] = show([message('v1', { type: 'video', text: '[视频 Video]', media: [{ kind: 'video', providerMediaId: 'gone' }] })], 'en', loadMedia);
    fireEvent.click(within(item).getByRole('button', { name: 'Get it from the channel' }));
    expect((await within(item).findByRole('alert')).textContent).toContain('Could not get it: the channel no longer has this media');
  });

  it('media with a URL are shown from it, and nothing is fetched without a loader', () => {
    const loadMedia = vi.fn(async () => new Blob());
    const [image] = show([message('i9', { type: 'image', text: '[图片 Image]', media: [{ kind: 'image', url: 'http://mmbiz.qpic.cn/a/0', providerMediaId: 'm1' }] })], 'en', loadMedia);
    expect(within(image).queryByTestId('channel-media-fetch')).toBeNull();
    cleanup();
    const [voice] = show([message('v9', { type: 'voice', text: '[语音 Voice]', media: [{ kind: 'voice', providerMediaId: 'vm' }] })]);
    expect(within(voice).queryByRole('button')).toBeNull();
  });
});
