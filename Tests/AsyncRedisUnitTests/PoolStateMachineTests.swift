import Testing

@testable import AsyncRedis

/// The pool's bookkeeping without sockets: connections are ids, their loads and conditions are what a pool would
/// have read from them, and waiters are names.
@Suite("Pool state machine")
struct PoolStateMachineTests {
    typealias Machine = PoolStateMachine<String>

    private static func id(_ raw: UInt64) -> PoolConnectionID { PoolConnectionID(rawValue: raw) }
    private static func load(_ raw: UInt64, pending: Int = 0, isOpen: Bool = true) -> PoolConnectionLoad {
        PoolConnectionLoad(id: id(raw), pendingReplies: pending, isOpen: isOpen)
    }
    private static let fit = PoolReleaseCondition()

    /// A machine with `count` connections (ids 1...count) opened and free.
    private static func machine(minSize: Int = 1, maxSize: Int = 4, opened count: Int) -> Machine {
        var machine = Machine(minSize: minSize, maxSize: maxSize, db: 0)
        var reserved = machine.reserveRefill()
        for raw in 1...UInt64(count) {
            // Beyond minSize, a caller with no free connection in sight has the pool open one.
            if reserved > 0 { reserved -= 1 } else { _ = machine.acquire(loads: [PoolConnectionLoad]()) }
            guard case .none = machine.opened(id(raw), isOpen: true, credentialsGeneration: 0) else {
                Issue.record("connection \(raw) should join the free ones")
                return machine
            }
        }
        return machine
    }

    @Test("acquire leases an idle connection first, release frees it")
    func leaseAndRelease() {
        var machine = Self.machine(minSize: 2, opened: 2)
        guard case .use(let leased) = machine.acquire(loads: [Self.load(1, pending: 3), Self.load(2)]) else {
            Issue.record("a free connection should be leased")
            return
        }
        #expect(leased == Self.id(2))
        #expect(machine.freeSize == 1)
        guard case .none = machine.release(leased, condition: Self.fit) else {
            Issue.record("a fit connection with nobody waiting goes back to the free ones")
            return
        }
        #expect(machine.freeSize == 2)
        #expect(machine.size == 2)
    }

    @Test("acquire takes a busy free connection when no idle one is left, and skips a closed one")
    func leaseBusyNotClosed() {
        var machine = Self.machine(minSize: 2, maxSize: 2, opened: 2)
        let loads = [Self.load(1, isOpen: false), Self.load(2, pending: 5)]
        guard case .use(let leased) = machine.acquire(loads: loads) else {
            Issue.record("the open connection should be leased")
            return
        }
        #expect(leased == Self.id(2))
        guard case .wait = machine.acquire(loads: loads) else {
            Issue.record("at maxSize with only a closing connection free, acquire waits")
            return
        }
    }

    @Test("a shared command goes to the least loaded free connection; a leased one is never chosen")
    func sharedChoosesLeastLoaded() {
        var machine = Self.machine(maxSize: 3, opened: 3)
        _ = machine.acquire(loads: [Self.load(1)])  // leases 1
        let loads = [Self.load(1), Self.load(2, pending: 4), Self.load(3, pending: 2)]
        guard case .use(let chosen, let openAnother) = machine.chooseShared(loads: loads) else {
            Issue.record("a free connection should be chosen")
            return
        }
        #expect(chosen == Self.id(3))
        #expect(!openAnother, "the pool is at maxSize")
        // The reservation counts as load until the command is queued: 3 now carries 3, 2 carries 4.
        let again = [Self.load(1), Self.load(2, pending: 2), Self.load(3, pending: 2)]
        guard case .use(let second, _) = machine.chooseShared(loads: again) else {
            Issue.record("a free connection should be chosen")
            return
        }
        #expect(second == Self.id(2))
    }

    @Test("a busy pool below maxSize opens another connection in the background, an idle one does not")
    func sharedGrowsOnlyWhenBusy() {
        var machine = Self.machine(maxSize: 2, opened: 1)
        guard case .use(_, openAnother: false) = machine.chooseShared(loads: [Self.load(1)]) else {
            Issue.record("an idle connection serves without growing")
            return
        }
        _ = machine.sharedQueued(on: Self.id(1), isOpen: true)
        guard case .use(_, openAnother: true) = machine.chooseShared(loads: [Self.load(1, pending: 1)]) else {
            Issue.record("a busy pool below maxSize grows")
            return
        }
        #expect(machine.opening == 1)
        guard case .use(_, openAnother: false) = machine.chooseShared(loads: [Self.load(1, pending: 2)]) else {
            Issue.record("with one opening the pool is at maxSize")
            return
        }
    }

    @Test("with no connection, a shared command opens one and waits; at maxSize it waits; closed, it fails")
    func sharedWithoutConnections() {
        var machine = Machine(minSize: 0, maxSize: 1, db: 0)
        guard case .openAndWait = machine.chooseShared(loads: [PoolConnectionLoad]()) else {
            Issue.record("an empty pool opens a connection for the caller")
            return
        }
        guard case .wait = machine.chooseShared(loads: [PoolConnectionLoad]()) else {
            Issue.record("with the only slot opening, the caller waits")
            return
        }
        _ = machine.close()
        guard case .closed = machine.chooseShared(loads: [PoolConnectionLoad]()) else {
            Issue.record("a closed pool refuses")
            return
        }
    }

    @Test("a connection chosen for a shared command is not leased before the command is queued, then goes to a waiter")
    func reservationHoldsOffLeases() {
        var machine = Self.machine(maxSize: 1, opened: 1)
        guard case .use(let chosen, _) = machine.chooseShared(loads: [Self.load(1)]) else {
            Issue.record("the free connection should be chosen")
            return
        }
        guard case .wait = machine.acquire(loads: [Self.load(1)]) else {
            Issue.record("acquire leased the connection a shared command was about to be queued on")
            return
        }
        guard case .waiting = machine.registerWaiter("lessee", id: 1, loads: [Self.load(1)]) else {
            Issue.record("the caller should queue")
            return
        }
        guard case .resume(let waiter, let handedOver) = machine.sharedQueued(on: chosen, isOpen: true) else {
            Issue.record("the waiter should get the connection once the command is queued")
            return
        }
        #expect(waiter == "lessee")
        #expect(handedOver == chosen)
        #expect(machine.freeSize == 0)
    }

    @Test("a connection that closed before its shared command was queued is not handed to a waiter")
    func closedReservationNotHandedOver() {
        var machine = Self.machine(maxSize: 1, opened: 1)
        _ = machine.chooseShared(loads: [Self.load(1)])
        _ = machine.registerWaiter("lessee", id: 1, loads: [Self.load(1)])
        guard case .none = machine.sharedQueued(on: Self.id(1), isOpen: false) else {
            Issue.record("a closed connection must not be handed over")
            return
        }
        #expect(machine.waiterCount == 1)
    }

    @Test("waiters are served first come, first served, by releases and by newly opened connections")
    func waitersInOrder() {
        var machine = Self.machine(maxSize: 2, opened: 1)
        _ = machine.acquire(loads: [Self.load(1)])
        guard case .openAndWait = machine.acquire(loads: [Self.load(1)]) else {
            Issue.record("below maxSize a new connection is opened for the caller")
            return
        }
        for (index, name) in ["a", "b", "c"].enumerated() {
            guard case .waiting(noConnections: false) = machine.registerWaiter(
                name, id: UInt64(index), loads: [Self.load(1)])
            else {
                Issue.record("\(name) should wait")
                return
            }
        }
        guard case .resume("a", let first) = machine.opened(Self.id(2), isOpen: true, credentialsGeneration: 0) else {
            Issue.record("the new connection goes to the first waiter")
            return
        }
        #expect(first == Self.id(2))
        let removed = machine.removeWaiter(id: 1)
        #expect(removed == "b")
        guard case .resume("c", let second) = machine.release(Self.id(1), condition: Self.fit) else {
            Issue.record("a released connection goes to the next waiter")
            return
        }
        #expect(second == Self.id(1))
        #expect(machine.waiterCount == 0)
        let removedAgain = machine.removeWaiter(id: 1)
        #expect(removedAgain == nil)
    }

    @Test("a released connection unfit for the next lessee is dropped", arguments: [
        PoolReleaseCondition(isOpen: false),
        PoolReleaseCondition(db: 3),
        PoolReleaseCondition(inTransaction: true),
        PoolReleaseCondition(isWatching: true),
        PoolReleaseCondition(subscriptionCount: 1),
        PoolReleaseCondition(hasAbandonedReplies: true),
    ])
    func unfitEvicted(condition: PoolReleaseCondition) {
        var machine = Self.machine(minSize: 1, opened: 1)
        _ = machine.acquire(loads: [Self.load(1)])
        _ = machine.registerWaiter("next", id: 1, loads: [Self.load(1)])
        guard case .close(let dropped) = machine.release(Self.id(1), condition: condition) else {
            Issue.record("an unfit connection must be closed, not handed over")
            return
        }
        #expect(dropped == Self.id(1))
        #expect(machine.size == 0)
        #expect(machine.waiterCount == 1)
        let refill = machine.reserveRefill()
        #expect(refill == 1)
    }

    @Test("after auth, a connection authenticated the old way is dropped on release; one caught up is kept")
    func credentialsGeneration() {
        var machine = Self.machine(minSize: 2, opened: 2)
        _ = machine.acquire(loads: [Self.load(1)])
        _ = machine.acquire(loads: [Self.load(2)])
        let generation = machine.setCredentials(.init(username: nil, password: "new"), authenticated: Self.id(2))
        #expect(generation == 1)
        guard case .close = machine.release(Self.id(1), condition: Self.fit) else {
            Issue.record("the connection authenticated before auth must be dropped")
            return
        }
        guard case .none = machine.release(Self.id(2), condition: Self.fit) else {
            Issue.record("the connection auth ran on is kept")
            return
        }
        #expect(machine.credentials?.password == "new")
    }

    @Test("select: a connection coming back on the old db is dropped")
    func selectDropsOldDB() {
        var machine = Self.machine(opened: 1)
        _ = machine.acquire(loads: [Self.load(1)])
        machine.setDB(2)
        guard case .close = machine.release(Self.id(1), condition: PoolReleaseCondition(db: 0)) else {
            Issue.record("a connection on the old db must be dropped")
            return
        }
    }

    @Test("a lost connection is forgotten and the pool refills to minSize, never beyond maxSize")
    func refill() {
        var machine = Self.machine(minSize: 2, maxSize: 3, opened: 2)
        let atMinSize = machine.reserveRefill()
        #expect(atMinSize == 0)
        let shouldRefill = machine.connectionClosed(Self.id(1))
        #expect(shouldRefill)
        #expect(machine.size == 1)
        let afterLoss = machine.reserveRefill()
        #expect(afterLoss == 1)
        let again = machine.reserveRefill()
        #expect(again == 0, "the refill already counts as opening")
        let unknownClosed = machine.connectionClosed(Self.id(9))
        #expect(!unknownClosed, "an unknown connection changes nothing")
        _ = machine.opened(Self.id(3), isOpen: true, credentialsGeneration: 0)
        _ = machine.acquire(loads: [Self.load(2)])
        _ = machine.acquire(loads: [Self.load(3)])
        guard case .openAndWait = machine.acquire(loads: [Self.load(2), Self.load(3)]) else {
            Issue.record("one more may open up to maxSize")
            return
        }
        guard case .wait = machine.acquire(loads: [Self.load(2), Self.load(3)]) else {
            Issue.record("at maxSize, acquire waits")
            return
        }
        #expect(machine.size + machine.opening == 3)
    }

    @Test("a failed open fails every waiter when no connection is left, else only the first")
    func openFailure() {
        var empty = Machine(minSize: 0, maxSize: 1, db: 0)
        _ = empty.acquire(loads: [PoolConnectionLoad]())
        _ = empty.registerWaiter("a", id: 1, loads: [PoolConnectionLoad]())
        guard case .waiting(noConnections: true) = empty.registerWaiter("b", id: 2, loads: [PoolConnectionLoad]())
        else {
            Issue.record("with no connection the wait must be bounded")
            return
        }
        let failed = empty.openFailed()
        #expect(failed == ["a", "b"])
        #expect(empty.waiterCount == 0)

        var some = Self.machine(maxSize: 2, opened: 1)
        _ = some.acquire(loads: [Self.load(1)])
        _ = some.acquire(loads: [Self.load(1)])
        _ = some.registerWaiter("a", id: 1, loads: [Self.load(1)])
        _ = some.registerWaiter("b", id: 2, loads: [Self.load(1)])
        let failedFirst = some.openFailed()
        #expect(failedFirst == ["a"])
        #expect(some.waiterCount == 1)
    }

    @Test("close hands back every waiter and connection; afterwards nothing is leased, opened or kept")
    func closeWhileWaiting() {
        var machine = Self.machine(maxSize: 2, opened: 2)
        _ = machine.acquire(loads: [Self.load(1)])
        _ = machine.acquire(loads: [Self.load(2)])
        _ = machine.registerWaiter("a", id: 1, loads: [Self.load(1), Self.load(2)])
        _ = machine.registerWaiter("b", id: 2, loads: [Self.load(1), Self.load(2)])
        let (waiters, connections) = machine.close()
        #expect(waiters == ["a", "b"])
        #expect(connections == [Self.id(1), Self.id(2)])
        #expect(machine.isClosed && machine.size == 0 && machine.waiterCount == 0)
        guard case .closed = machine.acquire(loads: [PoolConnectionLoad]()) else {
            Issue.record("a closed pool refuses acquire")
            return
        }
        guard case .closed = machine.registerWaiter("c", id: 3, loads: [PoolConnectionLoad]()) else {
            Issue.record("a closed pool refuses waiters")
            return
        }
        guard case .close = machine.opened(Self.id(3), isOpen: true, credentialsGeneration: 0) else {
            Issue.record("a connection that finishes opening after close is closed")
            return
        }
        let refillAfterClose = machine.reserveRefill()
        #expect(refillAfterClose == 0)
    }

    @Test("a connection that closed while opening is not adopted")
    func closedWhileOpening() {
        var machine = Machine(minSize: 1, maxSize: 1, db: 0)
        _ = machine.reserveRefill()
        guard case .close = machine.opened(Self.id(1), isOpen: false, credentialsGeneration: 0) else {
            Issue.record("a connection already closed must not join")
            return
        }
        #expect(machine.size == 0 && machine.opening == 0)
    }

    @Test("loads read before a connection left or joined are matched by id, not by position")
    func staleLoads() {
        var machine = Self.machine(maxSize: 3, opened: 3)
        _ = machine.connectionClosed(Self.id(1))
        // Read before 1 left: its load is ignored, and 3 (now second) is still found.
        let loads = [Self.load(1), Self.load(2, pending: 7), Self.load(3, pending: 1)]
        guard case .use(let chosen, _) = machine.chooseShared(loads: loads) else {
            Issue.record("a remaining connection should be chosen")
            return
        }
        #expect(chosen == Self.id(3))
        // A connection opened after the loads were read is not chosen until its load is known.
        _ = machine.acquire(loads: [PoolConnectionLoad]())
        _ = machine.opened(Self.id(4), isOpen: true, credentialsGeneration: 0)
        #expect(machine.peekFree(loads: [Self.load(3)]) == Self.id(3))
        #expect(machine.connections == [Self.id(2), Self.id(3), Self.id(4)])
    }

    @Test("the Pub/Sub connection stays dedicated: release keeps it, its loss frees the slot for another")
    func pubSubConnection() {
        var machine = Self.machine(maxSize: 2, opened: 2)
        let dedicated = machine.pubSubConnectionOrDedicateFree(pubsubIsOpen: false, loads: [Self.load(1)])
        #expect(dedicated == Self.id(1))
        let kept = machine.pubSubConnectionOrDedicateFree(pubsubIsOpen: true, loads: [Self.load(2)])
        #expect(kept == Self.id(1))
        guard case .none = machine.release(Self.id(1), condition: PoolReleaseCondition(subscriptionCount: 2)) else {
            Issue.record("releasing the Pub/Sub connection leaves it dedicated")
            return
        }
        #expect(machine.freeSize == 1)
        _ = machine.connectionClosed(Self.id(1))
        #expect(machine.pubsubConnection == nil)
        let replacement = machine.pubSubConnectionOrDedicateFree(pubsubIsOpen: false, loads: [Self.load(2)])
        #expect(replacement == Self.id(2))
    }

    @Test("select and clear: every free connection is leased or removed, leased ones are left alone")
    func leaseAllAndRemoveFree() {
        var machine = Self.machine(maxSize: 3, opened: 3)
        _ = machine.acquire(loads: [Self.load(2)])
        let removedFree = machine.removeFree()
        #expect(removedFree == [Self.id(1), Self.id(3)])
        #expect(machine.size == 1)
        _ = machine.release(Self.id(2), condition: Self.fit)
        let leasedAll = machine.leaseAllFree()
        #expect(leasedAll == [Self.id(2)])
        #expect(machine.freeSize == 0)
    }
}
