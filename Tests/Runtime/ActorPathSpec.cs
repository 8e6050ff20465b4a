using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Runtime;

public sealed class ActorPathSpec : Gpuvmsim.TestKit.TestKit
{
    private sealed class Parent : ReceiveActor
    {
        public Parent()
        {
            Receive<string>(name => Sender.Tell(name == "anon" ? Context.ActorOf(Props.Create<EchoActor>()) : Context.ActorOf(Props.Create<EchoActor>(), name)));
            Receive<int>(_ => Sender.Tell(Context.Children.Select(c => c.Path.Name).ToArray()));
            Receive<char>(_ => Sender.Tell(Context.Child("kid")));
        }
    }

    [Fact]
    public void A_top_level_actor_lives_under_user_with_the_system_address()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>(), "top");
        Assert.Equal("/user/top", actor.Path.ToStringWithoutAddress());
        Assert.Equal("gpuvmsim://test/user/top", actor.Path.ToString());
        Assert.Equal(new[] { "user", "top" }, actor.Path.Elements);
        Assert.Equal("user", actor.Path.Parent.Name);
    }

    [Fact]
    public void Children_get_hierarchical_paths_and_are_listed_and_found_by_name()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>(), "parent");
        parent.Tell("kid");
        var kid = ExpectMsg<IActorRef>();
        Assert.Equal("/user/parent/kid", kid.Path.ToStringWithoutAddress());
        parent.Tell('?');
        Assert.Equal(kid, ExpectMsg<IActorRef>());
        parent.Tell(0);
        Assert.Equal(new[] { "kid" }, ExpectMsg<string[]>());
    }

    [Fact]
    public void Anonymous_children_are_named_a_b_c_in_creation_order()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>(), "parent");
        var names = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            parent.Tell("anon");
            names.Add(ExpectMsg<IActorRef>().Path.Name);
        }
        Assert.Equal(new[] { "$a", "$b", "$c" }, names);
        Assert.Equal("$ba", Gpuvmsim.Runtime.ActorNames.Anonymous(26));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("$reserved")]
    [InlineData("")]
    [InlineData("sp ace")]
    public void Illegal_user_names_are_refused(string name)
    {
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), name));
    }

    [Fact]
    public void A_name_taken_by_a_sibling_is_refused()
    {
        Sys.ActorOf(Props.Create<EchoActor>(), "same");
        var e = Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), "same"));
        Assert.Contains("not unique", e.Message);
    }

    [Fact]
    public void Refs_to_the_same_actor_are_equal_and_order_by_path()
    {
        var a = Sys.ActorOf(Props.Create<EchoActor>(), "a");
        var b = Sys.ActorOf(Props.Create<EchoActor>(), "b");
        Assert.Equal(a, a.Path.Name == "a" ? a : b);
        Assert.NotEqual(a, b);
        Assert.True(a.CompareTo(b) < 0);
        Assert.Equal(ActorRefs.Nobody, ActorRefs.Nobody);
    }
}
