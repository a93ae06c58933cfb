using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.DemoData;

/// <summary>One market of the demo merchant: currency, price level, VAT, names and phone format of its customers.</summary>
internal sealed record DemoMarket(
    string Country,
    Currency Currency,
    int Weight,
    decimal PerEuro,
    decimal? StandardTax,
    decimal? FoodTax,
    string PhonePrefix,
    string[] FirstNames,
    string[] LastNames,
    string[] MailDomains,
    string IbanPrefix,
    string Bic);

internal sealed record DemoProduct(string Id, string Name, string? Variant, long EuroCents, bool IsFood, bool IsGift, int MaxQuantity);

internal sealed record DemoDecline(TransactionErrorCode Code, string Message, string ExternalCode);

/// <summary>
/// The fixed vocabulary of the demo data: markets, products, gateways, agents, decline
/// reasons. Everything here is invented; card numbers exist only masked.
/// </summary>
internal static class DemoCatalog
{
    public static readonly GatewayRef EComCharge = new("ecomcharge", "eComCharge", 0, CheckoutAction.Redirect);
    public static readonly GatewayRef Edenred = new("voucherly-edenred", "Edenred", 1, CheckoutAction.Redirect);
    public static readonly GatewayRef Pluxee = new("voucherly-pluxee", "Pluxee", 1, CheckoutAction.Redirect);
    public static readonly GatewayRef Sepa = new("voucherly-sepa", "SEPA Direct Debit", 2, CheckoutAction.DropIn);
    public static readonly GatewayRef Wallet = new("voucherly-wallet", "Voucherly wallet", 2, CheckoutAction.Otp);
    public static readonly GatewayRef Vcc = new("vcc", "VCC phone payment");
    public static readonly GatewayRef CardGateway = new("cardgateway", "Card gateway");

    public static readonly DemoMarket[] Markets =
    [
        new("IT", Currency.EUR, 30, 1m, 22m, 10m, "+39 3", ["Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Matteo", "Elena", "Davide", "Martina", "Lorenzo"],
            ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo"], ["gmail.com", "libero.it", "outlook.it", "virgilio.it"], "IT60", "BCITITMM"),
        new("DE", Currency.EUR, 10, 1m, 19m, 7m, "+49 15", ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Hannah", "Maximilian", "Sophie", "Paul", "Marie", "Jürgen", "Jörg"],
            ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Groß", "Köhler"], ["gmx.de", "web.de", "t-online.de", "gmail.com"], "DE89", "COBADEFFXXX"),
        new("FR", Currency.EUR, 5, 1m, 20m, 5.5m, "+33 6", ["Camille", "Louis", "Léa", "Hugo", "Chloé", "Gabriel", "Inès", "Raphaël", "Zoé", "Théo"],
            ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Lefèvre", "Moreau"], ["orange.fr", "free.fr", "gmail.com", "laposte.net"], "FR76", "BNPAFRPPXXX"),
        new("ES", Currency.EUR, 3, 1m, 21m, 10m, "+34 6", ["Lucía", "Hugo", "Martina", "Pablo", "Sofía", "Álvaro", "Paula", "Javier"],
            ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez"], ["gmail.com", "hotmail.es", "telefonica.net"], "ES91", "CAIXESBBXXX"),
        new("US", Currency.USD, 10, 1.08m, null, null, "+1 ", ["James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Mia", "Mason", "Harper"],
            ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor"], ["gmail.com", "yahoo.com", "icloud.com", "outlook.com"], "", ""),
        new("GB", Currency.GBP, 9, 0.86m, 20m, 0m, "+44 7", ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Poppy"],
            ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Walker"], ["gmail.com", "btinternet.com", "outlook.com", "sky.com"], "GB29", "NWBKGB2LXXX"),
        new("HU", Currency.HUF, 10, 395m, 27m, 18m, "+36 30 ", ["Bence", "Anna", "Máté", "Hanna", "Levente", "Zsófia", "Dávid", "Eszter", "Elemér", "Réka"],
            ["Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár", "Németh", "Erdősi"], ["freemail.hu", "gmail.com", "citromail.hu"], "HU42", "OTPVHUHBXXX"),
        new("PL", Currency.PLN, 6, 4.3m, 23m, 8m, "+48 5", ["Jakub", "Zuzanna", "Antoni", "Julia", "Jan", "Maja", "Szymon", "Lena", "Łukasz", "Małgorzata"],
            ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski"], ["wp.pl", "onet.pl", "gmail.com", "interia.pl"], "PL61", "BPKOPLPWXXX"),
        new("CH", Currency.CHF, 5, 0.95m, 8.1m, 2.6m, "+41 79 ", ["Noah", "Mia", "Luca", "Emma", "Leon", "Sofia", "Elias", "Léonie", "Matteo", "Lara"],
            ["Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Favre", "Rochat", "Brunner", "Baumann"], ["bluewin.ch", "gmx.ch", "gmail.com", "sunrise.ch"], "CH93", "UBSWCHZH80A"),
        new("JP", Currency.JPY, 5, 162m, 10m, 8m, "+81 90 ", ["Haruto", "Yui", "Sota", "Hina", "Yuto", "Sakura", "Riku", "Aoi", "Ren", "Mei"],
            ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"], ["yahoo.co.jp", "docomo.ne.jp", "gmail.com"], "", ""),
        new("BH", Currency.BHD, 2, 0.41m, 10m, 10m, "+973 3", ["Ahmed", "Fatima", "Mohammed", "Maryam", "Ali", "Noora", "Hassan", "Zainab"],
            ["Al Khalifa", "Al Mahmood", "Al Sayed", "Al Ansari", "Haji", "Al Mannai", "Bukhammas", "Fakhro"], ["batelco.com.bh", "gmail.com", "hotmail.com"], "BH67", "BMAGBHBMXXX"),
        new("SE", Currency.Parse("SEK"), 3, 11.4m, 25m, 12m, "+46 70 ", ["William", "Alice", "Hugo", "Maja", "Lucas", "Elsa", "Oscar", "Astrid"],
            ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson"], ["telia.com", "gmail.com", "hotmail.se"], "SE45", "ESSESESSXXX"),
        new("CZ", Currency.Parse("CZK"), 2, 25.2m, 21m, 12m, "+420 7", ["Jakub", "Eliška", "Jan", "Tereza", "Tomáš", "Adéla", "Vojtěch", "Anna"],
            ["Novák", "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý"], ["seznam.cz", "email.cz", "gmail.com"], "CZ65", "KOMBCZPPXXX"),
    ];

    public static readonly DemoProduct[] Products =
    [
        new("prd_pizza_margherita", "Margherita pizza", "Large", 950, true, false, 4),
        new("prd_lunch_menu", "Lunch menu", "Menu of the day", 1390, true, false, 3),
        new("prd_sushi_set", "Sushi set", "24 pieces", 2890, true, false, 2),
        new("prd_club_sandwich", "Club sandwich", null, 790, true, false, 3),
        new("prd_caesar_salad", "Caesar salad", "With chicken", 1050, true, false, 2),
        new("prd_espresso", "Espresso", null, 150, true, false, 6),
        new("prd_cappuccino", "Cappuccino", "Oat milk", 320, true, false, 4),
        new("prd_craft_beer", "Craft beer", "0.5 l", 590, true, false, 6),
        new("prd_tiramisu", "Tiramisù", null, 650, true, false, 3),
        new("prd_ramen", "Ramen bowl", "Tonkotsu", 1450, true, false, 2),
        new("prd_burger_menu", "Burger menu", "With fries", 1590, true, false, 3),
        new("prd_grocery_box", "Grocery box", "Weekly", 4990, true, false, 1),
        new("prd_gift_card_25", "Gift card", "25", 2500, false, true, 2),
        new("prd_gift_card_50", "Gift card", "50", 5000, false, true, 2),
        new("prd_gift_box", "Gift box", "Wrapped", 3990, false, true, 1),
        new("prd_flowers", "Flower bouquet", "Seasonal", 3490, false, true, 1),
        new("prd_wine_set", "Wine gift set", "2 bottles", 4590, false, true, 1),
        new("prd_concert", "Concert ticket", "Standing", 5900, false, false, 4),
        new("prd_museum", "Museum entry", "Adult", 1800, false, false, 4),
        new("prd_parking", "Parking", "2 hours", 480, false, false, 1),
        new("prd_delivery", "Delivery fee", null, 399, false, false, 1),
        new("prd_membership", "Premium membership", "Monthly", 1299, false, false, 1),
        new("prd_subscription", "Meal plan subscription", "Monthly", 8900, true, false, 1),
        new("prd_tshirt", "T-shirt", "Size M", 2490, false, false, 3),
        new("prd_sneakers", "Sneakers", "EU 42", 11990, false, false, 1),
        new("prd_headphones", "Wireless headphones", "Black", 14900, false, false, 1),
        new("prd_phone_topup", "Phone top-up", null, 2000, false, false, 1),
    ];

    public static readonly string[] Agents =
        ["elemer.erdosi", "anna.kovacs", "peter.nagy", "julia.szabo", "mark.toth", "sofia.rossi", "tom.baker", "lena.weber"];

    public static readonly string[] Projects = ["4", "7", "12", "15"];

    public static readonly (string Brand, string Bin, int Length, string Product)[] Cards =
    [
        ("visa", "411111", 16, "Visa Classic"), ("visa", "402400", 16, "Visa Gold"), ("visa", "453201", 16, "Visa Platinum"),
        ("visa", "476173", 16, "Visa Debit"), ("mastercard", "510510", 16, "Mastercard Standard"), ("mastercard", "555555", 16, "World Elite"),
        ("mastercard", "222300", 16, "Mastercard Debit"), ("maestro", "675964", 16, "Maestro"), ("amex", "378282", 15, "American Express Green"),
    ];

    public static readonly DemoDecline[] CardDeclines =
    [
        new(TransactionErrorCode.Declined, "Insufficient funds.", "51"),
        new(TransactionErrorCode.Declined, "Do not honor.", "05"),
        new(TransactionErrorCode.Declined, "Transaction didn't pass risk management system.", "F.0401"),
        new(TransactionErrorCode.Declined, "Card expired.", "54"),
        new(TransactionErrorCode.Declined, "Exceeds withdrawal amount limit.", "61"),
        new(TransactionErrorCode.NotCompleted, "3-D Secure authentication failed.", "3DS.FAILED"),
        new(TransactionErrorCode.System, "Issuer or switch is inoperative.", "91"),
        new(TransactionErrorCode.Generic, "Invalid card number or CVV.", "14"),
    ];

    public static readonly DemoDecline[] VoucherDeclines =
    [
        new(TransactionErrorCode.Declined, "Voucher balance is not enough for this amount.", "EDN-402"),
        new(TransactionErrorCode.MissingPaymentMethod, "No meal-voucher card linked to this customer.", "EDN-404"),
    ];

    public static readonly string[] DiscountCodes = ["WELCOME10", "SUMMER25", "LOYALTY5", "FRIENDS15", "BLACKFRIDAY", "STAFF20", "APP10"];
}
