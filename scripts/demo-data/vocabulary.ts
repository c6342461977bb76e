/**
 * Words demo products are made of, per category: a title is adjective + material + noun
 * ("Rustic Oak Coffee Table"), and the price range keeps a sofa from costing less than a mug.
 */
import type { Category } from "../../src/flows/catalog/categories";

export interface CategoryVocabulary {
  /** SKU prefix. */
  code: string;
  adjectives: readonly string[];
  materials: readonly string[];
  nouns: readonly string[];
  /** Typical price range in whole currency units. */
  price: readonly [min: number, max: number];
  /** Phrases that finish "Great for …". */
  uses: readonly string[];
}

export const VOCABULARY: Record<Category, CategoryVocabulary> = {
  electronics: {
    code: "ELE",
    adjectives: ["Wireless", "Compact", "Smart", "Portable", "Noise-Cancelling", "Rechargeable"],
    materials: ["Aluminum", "Matte Black", "Graphite", "Silver", "Carbon"],
    nouns: ["Headphones", "Bluetooth Speaker", "Earbuds", "Power Bank", "Smartwatch", "Action Camera"],
    price: [19, 399],
    uses: ["commutes", "travel", "workouts", "home offices"],
  },
  computers: {
    code: "CMP",
    adjectives: ["Mechanical", "Ergonomic", "Ultra-Slim", "Backlit", "High-Speed", "Dual-Band"],
    materials: ["Aluminum", "Black", "Space Gray", "White"],
    nouns: ["Keyboard", "Mouse", "USB-C Hub", "Monitor Stand", "External SSD", "Wi-Fi Router", "Webcam"],
    price: [15, 249],
    uses: ["remote work", "gaming setups", "students", "creative studios"],
  },
  home: {
    code: "HOM",
    adjectives: ["Cozy", "Handwoven", "Minimalist", "Scandinavian", "Textured", "Oversized"],
    materials: ["Cotton", "Linen", "Wool", "Jute", "Velvet", "Bamboo"],
    nouns: ["Throw Blanket", "Cushion Cover", "Area Rug", "Curtain Panel", "Storage Basket", "Wall Mirror"],
    price: [12, 220],
    uses: ["living rooms", "bedrooms", "guest rooms", "reading nooks"],
  },
  kitchen: {
    code: "KIT",
    adjectives: ["Nonstick", "Professional", "Dishwasher-Safe", "Heavy-Duty", "Stackable", "Classic"],
    materials: ["Cast Iron", "Stainless Steel", "Ceramic", "Acacia Wood", "Borosilicate Glass", "Copper"],
    nouns: [
      "Skillet",
      "Chef's Knife",
      "Cutting Board",
      "Mixing Bowl Set",
      "French Press",
      "Dutch Oven",
      "Mug",
    ],
    price: [9, 180],
    uses: ["weeknight dinners", "meal prep", "baking", "entertaining"],
  },
  furniture: {
    code: "FUR",
    adjectives: ["Rustic", "Mid-Century", "Modern", "Foldable", "Industrial", "Solid"],
    materials: ["Oak", "Walnut", "Pine", "Rattan", "Steel", "Marble"],
    nouns: ["Coffee Table", "Bookshelf", "Desk", "Dining Chair", "Nightstand", "Bar Stool", "Sofa"],
    price: [59, 1299],
    uses: ["small apartments", "home offices", "dining rooms", "studios"],
  },
  lighting: {
    code: "LGT",
    adjectives: ["Dimmable", "Adjustable", "Vintage", "Minimalist", "Industrial", "Warm-White"],
    materials: ["Brass", "Glass", "Rattan", "Ceramic", "Matte Black", "Linen"],
    nouns: ["Desk Lamp", "Floor Lamp", "Pendant Light", "Table Lamp", "Wall Sconce", "String Lights"],
    price: [18, 349],
    uses: ["reading corners", "bedside tables", "workspaces", "dining areas"],
  },
  clothing: {
    code: "CLO",
    adjectives: ["Relaxed-Fit", "Classic", "Lightweight", "Organic", "Slim-Fit", "Waterproof"],
    materials: ["Cotton", "Merino Wool", "Denim", "Linen", "Fleece", "Cashmere"],
    nouns: ["T-Shirt", "Hoodie", "Jacket", "Chinos", "Sweater", "Rain Coat", "Button-Down Shirt"],
    price: [14, 260],
    uses: ["everyday wear", "layering", "weekend trips", "cool evenings"],
  },
  shoes: {
    code: "SHO",
    adjectives: ["Cushioned", "Lightweight", "Waterproof", "Breathable", "Classic", "Trail"],
    materials: ["Leather", "Suede", "Canvas", "Mesh", "Knit"],
    nouns: ["Running Shoes", "Sneakers", "Hiking Boots", "Loafers", "Chelsea Boots", "Sandals"],
    price: [29, 240],
    uses: ["daily runs", "city walks", "long hikes", "the office"],
  },
  beauty: {
    code: "BEA",
    adjectives: ["Hydrating", "Fragrance-Free", "Gentle", "Nourishing", "Vegan", "Brightening"],
    materials: ["Aloe", "Shea Butter", "Vitamin C", "Argan Oil", "Charcoal", "Rosewater"],
    nouns: ["Face Serum", "Moisturizer", "Cleanser", "Lip Balm", "Hand Cream", "Shampoo Bar"],
    price: [6, 89],
    uses: ["sensitive skin", "morning routines", "dry climates", "travel kits"],
  },
  sports: {
    code: "SPO",
    adjectives: ["Adjustable", "Non-Slip", "Insulated", "Lightweight", "Pro", "Collapsible"],
    materials: ["Neoprene", "Steel", "Carbon Fiber", "Rubber", "Nylon"],
    nouns: ["Yoga Mat", "Dumbbell Set", "Water Bottle", "Resistance Bands", "Camping Tent", "Backpack"],
    price: [12, 450],
    uses: ["home workouts", "weekend camping", "the gym", "trail runs"],
  },
  toys: {
    code: "TOY",
    adjectives: ["Educational", "Colorful", "Classic", "Magnetic", "Remote-Control", "Stacking"],
    materials: ["Wooden", "Plush", "Plastic", "Felt"],
    nouns: ["Building Blocks", "Puzzle", "Train Set", "Board Game", "Teddy Bear", "Race Car"],
    price: [8, 120],
    uses: ["toddlers", "family game night", "rainy afternoons", "curious kids"],
  },
  books: {
    code: "BOK",
    adjectives: ["Illustrated", "Hardcover", "Bestselling", "Annotated", "Pocket", "Collector's"],
    materials: ["Paperback", "Clothbound", "Hardback", "Spiral-Bound"],
    nouns: ["Cookbook", "Travel Guide", "Mystery Novel", "Field Guide", "Poetry Collection", "Atlas"],
    price: [7, 65],
    uses: ["book clubs", "long flights", "curious minds", "gift giving"],
  },
  garden: {
    code: "GAR",
    adjectives: ["Weatherproof", "Self-Watering", "Ergonomic", "Raised", "Solar", "Hanging"],
    materials: ["Terracotta", "Galvanized Steel", "Cedar", "Resin", "Bamboo"],
    nouns: ["Planter", "Pruning Shears", "Garden Hose", "Bird Feeder", "Watering Can", "Path Light"],
    price: [9, 199],
    uses: ["balconies", "vegetable beds", "patios", "herb gardens"],
  },
  office: {
    code: "OFF",
    adjectives: ["Refillable", "Premium", "Ergonomic", "Magnetic", "Minimalist", "Dotted"],
    materials: ["Leather", "Recycled Paper", "Bamboo", "Felt", "Metal"],
    nouns: ["Notebook", "Fountain Pen", "Desk Organizer", "Planner", "Whiteboard", "Office Chair"],
    price: [5, 320],
    uses: ["daily planning", "note taking", "tidy desks", "meetings"],
  },
  pets: {
    code: "PET",
    adjectives: ["Orthopedic", "Chew-Proof", "Washable", "Interactive", "Reflective", "Calming"],
    materials: ["Memory Foam", "Nylon", "Stainless Steel", "Rope", "Fleece"],
    nouns: ["Dog Bed", "Cat Tree", "Leash", "Food Bowl", "Chew Toy", "Pet Carrier"],
    price: [7, 210],
    uses: ["large dogs", "indoor cats", "puppies", "road trips"],
  },
};
