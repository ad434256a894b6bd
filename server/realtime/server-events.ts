// Routing events a server emits itself (an agent's presence, an operator's
// action) go to its own streams at once and are pushed, as workers push
// theirs, to every other server.
import type { PublishEvent } from '../../activities/events';
import type { EventSubscribers } from './event-subscribers';
import type { RealtimeModels } from './models';
import { NodeDirectory } from './node-directory';
import { HttpPushPublisher } from './push-publisher';

export class ServerEventRelay {
  private readonly directory: NodeDirectory;
  private readonly peers: HttpPushPublisher;
  private self?: string;

  constructor(realtime: RealtimeModels, secret: string, private readonly events: EventSubscribers) {
    this.directory = new NodeDirectory(realtime);
    this.peers = new HttpPushPublisher({ list: () => this.directory.list().filter((n) => n.id !== this.self) }, secret);
  }

  readonly publishEvent: PublishEvent = (event) => {
    this.events.dispatch(event);
    this.peers.publishEvent(event);
  };

  /** Once this server is a realtime node itself: reads the other nodes, and keeps the list fresh. */
  async start(selfNodeId: string): Promise<void> {
    this.self = selfNodeId;
    await this.directory.start();
  }

  async stop(): Promise<void> {
    await this.peers.stop();
    await this.directory.stop();
  }
}
